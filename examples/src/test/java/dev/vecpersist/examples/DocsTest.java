package dev.vecpersist.examples;

import dev.vecpersist.api.Metric;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.VectorDB;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The documentation cannot rot (issue 23, items 1, 2 and 11): every {@code ```java complete} block
 * of README.md and docs/*.md compiles against the build's class path and runs; the README says
 * which SLF4J binding to add; docs/file-formats.md shows the SQLite schema real files have.
 */
class DocsTest {

    private static final String COMPLETE = "```java complete";
    private static final Pattern CLASS_NAME = Pattern.compile("(?m)^public\\s+(?:final\\s+)?class\\s+(\\w+)");

    @TempDir
    Path dir;

    /** The repository root: the parent of this module's directory (Maven's {@code basedir}). */
    private static Path repositoryRoot() {
        Path module = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
        Path root = module.getParent();
        assertThat(root.resolve("README.md")).as("README.md above " + module).isRegularFile();
        return root;
    }

    private static List<Path> documents() throws IOException {
        Path root = repositoryRoot();
        List<Path> docs = new ArrayList<>();
        docs.add(root.resolve("README.md"));
        try (Stream<Path> files = Files.list(root.resolve("docs"))) {
            files.filter(f -> f.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        return docs;
    }

    /** The fenced blocks of a Markdown file whose opening line is exactly {@code fence}. */
    static List<String> blocks(Path markdown, String fence) throws IOException {
        List<String> blocks = new ArrayList<>();
        StringBuilder current = null;
        for (String line : Files.readAllLines(markdown, StandardCharsets.UTF_8)) {
            if (current == null) {
                if (line.strip().equals(fence)) {
                    current = new StringBuilder();
                }
            } else if (line.strip().equals("```")) {
                blocks.add(current.toString());
                current = null;
            } else {
                current.append(line).append('\n');
            }
        }
        assertThat(current).as("an unclosed block in " + markdown).isNull();
        return blocks;
    }

    @Test
    void everyCompleteProgramInTheDocsCompilesAndRuns() throws Exception {
        int programs = 0;
        for (Path doc : documents()) {
            int n = 0;
            for (String source : blocks(doc, COMPLETE)) {
                String where = doc.getFileName() + " block " + (++n);
                Matcher name = CLASS_NAME.matcher(source);
                assertThat(name.find()).as(where + " declares a public class").isTrue();
                Path work = Files.createDirectories(dir.resolve(doc.getFileName() + "-" + n));
                Path classes = compile(where, name.group(1), source, work);
                String output = run(where, name.group(1), classes, Files.createDirectories(work.resolve("run")));
                if (name.group(1).equals("QuickStart")) {
                    assertThat(output).contains("saved and loaded 1 vector(s):");
                    assertThat(work.resolve("run/data/MANIFEST.json")).isRegularFile();
                }
                programs++;
            }
        }
        assertThat(programs).as("README.md's quick start is marked " + COMPLETE).isPositive();
        assertThat(blocks(repositoryRoot().resolve("README.md"), COMPLETE)).anyMatch(b -> b.contains("class QuickStart"));
    }

    private static Path compile(String where, String className, String source, Path work) throws IOException {
        Path src = Files.createDirectories(work.resolve("src")).resolve(className + ".java");
        Files.writeString(src, source, StandardCharsets.UTF_8);
        Path classes = Files.createDirectories(work.resolve("classes"));
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            boolean ok = compiler.getTask(null, files, diagnostics,
                    List.of("-d", classes.toString(), "-classpath", System.getProperty("java.class.path"), "-proc:none"),
                    null, files.getJavaFileObjects(src)).call();
            List<String> errors = diagnostics.getDiagnostics().stream()
                    .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                    .map(d -> "line " + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT)).toList();
            assertThat(errors).as(where + " compiles as is").isEmpty();
            assertThat(ok).as(where + " compiles").isTrue();
        }
        return classes;
    }

    private static String run(String where, String className, Path classes, Path workingDir) throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classes + File.pathSeparator + System.getProperty("java.class.path"), className)
                .directory(workingDir.toFile()).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).as(where + " ends").isTrue();
        assertThat(child.exitValue()).as(where + " runs: " + output).isZero();
        return output;
    }

    @Test
    void theQuickStartNamesAnSlf4jBindingAndSaysTheLibraryForcesNone() throws IOException {
        Path readme = repositoryRoot().resolve("README.md");
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        String quickStart = text.substring(text.indexOf("## Quick start"), text.indexOf(COMPLETE));
        assertThat(quickStart).contains("forces no binding").contains("slf4j-simple").contains("logback-classic");
        List<String> dependencies = blocks(readme, "```xml");
        assertThat(dependencies).isNotEmpty();
        Matcher binding = Pattern.compile("<groupId>org\\.slf4j</groupId><artifactId>slf4j-simple</artifactId>"
                + "<version>([^<]+)</version>").matcher(dependencies.get(0));
        assertThat(binding.find()).as("the quick start's dependency list holds a binding").isTrue();
        String pom = Files.readString(repositoryRoot().resolve("pom.xml"), StandardCharsets.UTF_8);
        assertThat(pom).as("the binding's version is the SLF4J version the build uses")
                .contains("<slf4j.version>" + binding.group(1) + "</slf4j.version>");
    }

    @Test
    void theSqliteSchemaInFileFormatsIsTheSchemaRealFilesHave() throws Exception {
        Path file = dir.resolve("state.sqlite");
        VectorDB db = new VectorDB(8, Metric.COSINE);
        db.insertBatch(ExampleData.vectors(5, 8, 1));
        try (DatabasePersistence p = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(dir.resolve("w"))
                .format("sqlite").build())) {
            p.save(file);
        }
        List<String> actual = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement s = c.createStatement()) {
            for (String pragma : List.of("application_id", "user_version")) {
                try (ResultSet r = s.executeQuery("PRAGMA " + pragma)) {
                    r.next();
                    actual.add("PRAGMA " + pragma + " = " + r.getLong(1));
                }
            }
            try (ResultSet r = s.executeQuery("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid")) {
                while (r.next()) {
                    actual.add(normalise(r.getString(1)));
                }
            }
        }
        Path doc = repositoryRoot().resolve("docs/file-formats.md");
        List<String> sql = blocks(doc, "```sql");
        assertThat(sql).as("docs/file-formats.md has one sql block").hasSize(1);
        List<String> documented = new ArrayList<>();
        for (String statement : sql.get(0).replaceAll("--[^\\n]*", "").split(";")) {
            if (!statement.isBlank()) {
                documented.add(normalise(statement));
            }
        }
        assertThat(documented).isEqualTo(actual);
    }

    /** One space between words, none inside parentheses or before commas. */
    private static String normalise(String statement) {
        return statement.strip().replaceAll("\\s+", " ").replace("( ", "(").replace(" )", ")").replace(" ,", ",");
    }
}
