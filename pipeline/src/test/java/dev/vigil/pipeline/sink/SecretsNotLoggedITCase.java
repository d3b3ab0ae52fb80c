package dev.vigil.pipeline.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.connectors.influxdb.testutils.InfluxDbExtension;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real job ({@code TelemetryJob.main} in its own JVM, logging at INFO to the console and to a
 * file) writes to an InfluxDB with authentication, the password coming from the environment or a
 * file. Afterwards every log of the run — stdout, stderr, every file under its log directory — is
 * scanned for the password. A wrong password stops the job at start with a message saying what to
 * check, without the password.
 */
class SecretsNotLoggedITCase {

    private static final String USER = "vigil_writer";
    private static final String PASSWORD = "s3cret-Env-Pa55-7f1c";
    private static final String FILE_PASSWORD = "s3cret-File-Pa55-91ab";
    private static final String DB = "secrets";

    @RegisterExtension static final InfluxDbExtension INFLUX = InfluxDbExtension.withAuth();

    @TempDir static Path dir;

    @BeforeAll
    static void createUsers() {
        INFLUX.admin()
                .execute(
                        "CREATE USER "
                                + USER
                                + " WITH PASSWORD '"
                                + PASSWORD
                                + "' WITH ALL PRIVILEGES");
        INFLUX.admin(USER, PASSWORD)
                .execute(
                        "CREATE USER file_user WITH PASSWORD '"
                                + FILE_PASSWORD
                                + "' WITH ALL PRIVILEGES");
        INFLUX.admin(USER, PASSWORD).createDatabase(DB);
    }

    @Test
    void aPasswordFromTheEnvironmentIsNeverLogged() throws Exception {
        Run run = runJob("env", USER, PASSWORD, null);

        assertThat(run.exitCode).as(run.output).isZero();
        assertThat(
                        INFLUX.admin(USER, PASSWORD)
                                .queryLong(DB, "SELECT count(\"temperature\") FROM environment"))
                .isEqualTo(20);
        assertThat(run.logFiles).isNotEmpty();
        assertThat(run.allLogs()).doesNotContain(PASSWORD);
    }

    @Test
    void aPasswordFromAFileIsNeverLogged() throws Exception {
        Path file = dir.resolve("influx.pw");
        Files.writeString(file, FILE_PASSWORD + "\n");
        Run run = runJob("file", "file_user", null, file);

        assertThat(run.exitCode).as(run.output).isZero();
        assertThat(run.allLogs()).doesNotContain(FILE_PASSWORD);
    }

    @Test
    void aWrongPasswordFailsAtStartSayingWhatToCheck() throws Exception {
        String wrong = "wrong-Pa55-d0-not-log";
        Run run = runJob("wrong", USER, wrong, null);

        assertThat(run.exitCode).isNotZero();
        assertThat(run.output).contains("authentication failed for user " + USER);
        assertThat(run.allLogs()).doesNotContain(wrong);
    }

    /** Runs the job on 20 envelopes in a fresh JVM; {@code password} via env, or a file. */
    private static Run runJob(String name, String user, String password, Path passwordFile)
            throws IOException, InterruptedException {
        Path logs = Files.createDirectories(dir.resolve(name + "-logs"));
        Path input = dir.resolve(name + ".jsonl");
        Files.write(input, envelopes());
        Path log4j = dir.resolve(name + "-log4j2.properties");
        Files.writeString(log4j, log4jConfig(logs.resolve("job.log")));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-")) {
                command.add(arg); // the JDK 17 opens Flink needs, as this JVM got them
            }
        }
        command.add("-Dlog4j2.configurationFile=" + log4j);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("dev.vigil.pipeline.TelemetryJob");
        command.addAll(
                List.of(
                        "--source.type",
                        "file",
                        "--source.file",
                        input.toString(),
                        "--sink.type",
                        "influxdb",
                        "--sink.influxdb.url",
                        INFLUX.url(),
                        "--sink.influxdb.database",
                        DB,
                        "--job.parallelism",
                        "1"));
        if (passwordFile != null) {
            command.addAll(List.of("--sink.influxdb.password-file", passwordFile.toString()));
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.redirectOutput(logs.resolve("console.out").toFile());
        builder.environment().put(InfluxSinks.USERNAME_ENV, user);
        builder.environment().remove(InfluxSinks.PASSWORD_ENV);
        if (password != null) {
            builder.environment().put(InfluxSinks.PASSWORD_ENV, password);
        }
        Process process = builder.start();
        if (!process.waitFor(240, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        return new Run(process.exitValue(), logs);
    }

    private static List<String> envelopes() {
        List<String> lines = new ArrayList<>();
        long t0 = 1_704_067_200_000L;
        for (int i = 0; i < 20; i++) {
            long t = t0 + i * 10_000L;
            lines.add(
                    "{\"topic\":\"sensors/d1/telemetry\",\"receivedAt\":"
                            + t
                            + ",\"payload\":\"{\\\"temperature\\\":"
                            + (20 + i % 3)
                            + ",\\\"timestamp\\\":"
                            + t
                            + "}\"}");
        }
        return lines;
    }

    private static String log4jConfig(Path file) {
        return String.join(
                "\n",
                "rootLogger.level = INFO",
                "rootLogger.appenderRef.console.ref = Console",
                "rootLogger.appenderRef.file.ref = File",
                "appender.console.name = Console",
                "appender.console.type = Console",
                "appender.console.layout.type = PatternLayout",
                "appender.console.layout.pattern = %d %-5p %c - %m%n",
                "appender.file.name = File",
                "appender.file.type = File",
                "appender.file.fileName = " + file,
                "appender.file.layout.type = PatternLayout",
                "appender.file.layout.pattern = %d %-5p %c - %m%n",
                "");
    }

    /** The outcome of one run and every log file it left. */
    private static final class Run {
        final int exitCode;
        final List<Path> logFiles = new ArrayList<>();
        final String output;

        Run(int exitCode, Path logs) throws IOException {
            this.exitCode = exitCode;
            try (Stream<Path> files = Files.walk(logs)) {
                files.filter(Files::isRegularFile).forEach(logFiles::add);
            }
            this.output = Files.readString(logs.resolve("console.out"), StandardCharsets.UTF_8);
        }

        String allLogs() throws IOException {
            StringBuilder all = new StringBuilder();
            for (Path file : logFiles) {
                all.append(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
            }
            return all.toString();
        }
    }
}
