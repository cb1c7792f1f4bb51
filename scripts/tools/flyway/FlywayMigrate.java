import java.util.LinkedHashMap;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * `flyway-migrate flyway.url=jdbc:... flyway.locations=filesystem:DIR [flyway.KEY=VALUE...]`:
 * Flyway's own `migrate`, configured with the same keys as its configuration
 * files (flyway.table, flyway.schemas, flyway.mixed, ...), so the tests let the
 * real Flyway write its schema history table.
 */
public final class FlywayMigrate {
    public static void main(String[] args) {
        Map<String, String> conf = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                System.err.println("flyway-migrate: expected KEY=VALUE, got " + arg);
                System.exit(2);
            }
            conf.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        try {
            MigrateResult result = Flyway.configure().configuration(conf).load().migrate();
            System.out.println("flyway: " + result.migrationsExecuted + " migration(s) applied, now at "
                    + result.targetSchemaVersion);
        } catch (RuntimeException e) {
            System.err.println("flyway: " + e.getMessage());
            System.exit(1);
        }
    }
}
