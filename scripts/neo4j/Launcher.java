// A throwaway Neo4j Community DBMS for schemadrift's tests and demo.
//
// Run by scripts/lib/neo4j.sh (`java -cp CLASSPATH Launcher HOME PASSWORD
// PARENT_PID`) on the class path that Maven resolved from pom.xml beside this
// file; the script compiles it into the version's cache directory.
//
// It starts an embedded DBMS in HOME with the settings of HOME/neo4j.conf (Bolt
// on 127.0.0.1, port 0 so that the kernel picks a free one, authentication on),
// gives the user `neo4j` the password PASSWORD, and then writes HOME/ready:
//
//     port=<the Bolt port>
//     version=<name version edition, from CALL dbms.components()>
//
// It shuts the DBMS down on SIGTERM/SIGINT (within 3 s), and on its own when the process
// PARENT_PID is gone (a script killed with SIGKILL leaves no server behind);
// in that case it also removes HOME, which the script can no longer do.
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import org.neo4j.configuration.connectors.ConnectorPortRegister;
import org.neo4j.configuration.connectors.ConnectorType;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.kernel.internal.GraphDatabaseAPI;

public class Launcher {
    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: Launcher HOME PASSWORD PARENT_PID");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        String password = args[1];
        long parent = Long.parseLong(args[2]);

        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .loadPropertiesFromFile(home.resolve("neo4j.conf"))
                .build();
        // A clean shutdown takes 10 s or more (Bolt alone drains for 5); the
        // server is thrown away with its directory, so 3 s is all it gets.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Thread clean = new Thread(dbms::shutdown, "clean shutdown");
            clean.setDaemon(true);
            clean.start();
            try {
                clean.join(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "shutdown"));

        // Embedded transactions run with full rights, so the system database
        // takes the password directly (no first login with `neo4j`/`neo4j`).
        dbms.database("system").executeTransactionally(
                "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED",
                Map.of("password", password));

        GraphDatabaseService db = dbms.database("neo4j");
        int port = ((GraphDatabaseAPI) db).getDependencyResolver()
                .resolveDependency(ConnectorPortRegister.class)
                .getLocalAddress(ConnectorType.BOLT)
                .getPort();
        String version = db.executeTransactionally(
                "CALL dbms.components() YIELD name, versions, edition"
                        + " RETURN name + ' ' + versions[0] + ' ' + edition AS v",
                Map.of(),
                r -> r.hasNext() ? (String) r.next().get("v") : "unknown");

        // Written whole, then renamed: the script never reads half a file.
        Path tmp = home.resolve("ready.tmp");
        Files.writeString(tmp, "port=" + port + "\nversion=" + version + "\n");
        Files.move(tmp, home.resolve("ready"));

        while (true) {
            Thread.sleep(1000);
            if (ProcessHandle.of(parent).map(ProcessHandle::isAlive).orElse(false)) {
                continue;
            }
            System.err.println("the process that started this server (" + parent + ") is gone: stopping");
            dbms.shutdown();
            try (Stream<Path> all = Files.walk(home)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
            Runtime.getRuntime().halt(0);
        }
    }
}
