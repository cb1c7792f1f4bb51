// Run Cypher against a Neo4j over Bolt, with the official Java driver that
// comes with Neo4j's own jars (scripts/lib/neo4j.sh: sd_neo4j_cypher). The
// demo applies its migrations and hotfixes with it; there is no cypher-shell
// on Maven Central.
//
//     Cypher URI FILE...        run each file's statements, one at a time
//     Cypher URI -e STATEMENT   run one statement and print its rows
//
// The user and password come from NEO4J_USER (default neo4j) and
// NEO4J_PASSWORD. Statements are split on `;` outside strings, quoted names
// and comments. A failing statement stops the run: exit 1, naming the file,
// the statement's line and Neo4j's message.
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Config;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Logging;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;
import org.neo4j.driver.exceptions.Neo4jException;

public class Cypher {
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: Cypher URI FILE... | Cypher URI -e STATEMENT");
            System.exit(2);
        }
        String user = System.getenv().getOrDefault("NEO4J_USER", "neo4j");
        String password = System.getenv().getOrDefault("NEO4J_PASSWORD", "");
        Config quiet = Config.builder().withLogging(Logging.none()).build();
        try (Driver driver = GraphDatabase.driver(args[0], AuthTokens.basic(user, password), quiet);
                Session session = driver.session()) {
            if (args[1].equals("-e")) {
                try {
                    for (Record r : session.run(args[2]).list()) {
                        System.out.println(r.fields().stream()
                                .map(f -> f.key() + ": " + show(f.value().asObject()))
                                .collect(Collectors.joining(", ")));
                    }
                } catch (Neo4jException e) {
                    System.err.println(e.code() + ": " + e.getMessage());
                    System.exit(1);
                }
                return;
            }
            for (int i = 1; i < args.length; i++) {
                String text = Files.readString(Path.of(args[i]));
                for (Statement s : split(text)) {
                    try {
                        session.run(s.text).consume();
                    } catch (Neo4jException e) {
                        System.err.println(args[i] + ":" + s.line + ": " + e.code() + ": " + e.getMessage());
                        System.exit(1);
                    }
                }
            }
        }
    }

    private static String show(Object v) {
        return v instanceof String ? "'" + v + "'" : String.valueOf(v);
    }

    record Statement(int line, String text) {}

    /** Split on `;` outside '...', "...", `...`, // and block comments. */
    static List<Statement> split(String text) {
        List<Statement> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int line = 1, start = -1;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            char next = i + 1 < text.length() ? text.charAt(i + 1) : 0;
            if (quote != 0) {
                cur.append(c);
                if (c == '\\' && quote != '`' && next != 0) {
                    cur.append(next);
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '/' && next == '/') {
                while (i < text.length() && text.charAt(i) != '\n') i++;
                i--;
            } else if (c == '/' && next == '*') {
                int end = text.indexOf("*/", i + 2);
                end = end < 0 ? text.length() : end + 2;
                line += (int) text.substring(i, end).chars().filter(ch -> ch == '\n').count();
                i = end - 1;
            } else if (c == ';') {
                if (!cur.toString().isBlank()) out.add(new Statement(start, cur.toString().strip()));
                cur.setLength(0);
                start = -1;
            } else {
                if (start < 0 && !Character.isWhitespace(c)) start = line;
                if (c == '\'' || c == '"' || c == '`') quote = c;
                cur.append(c);
            }
            if (c == '\n') line++;
        }
        if (!cur.toString().isBlank()) out.add(new Statement(start, cur.toString().strip()));
        return out;
    }
}
