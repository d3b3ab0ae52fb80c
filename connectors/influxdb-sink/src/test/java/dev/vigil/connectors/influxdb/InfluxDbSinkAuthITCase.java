package dev.vigil.connectors.influxdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.connectors.influxdb.testutils.InfluxDbExtension;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The sink against an influxd with {@code auth-enabled = true}. */
class InfluxDbSinkAuthITCase {

    private static final String USER = "vigil_admin";
    private static final String PASSWORD = "right-Pa55";
    private static final String WRONG_PASSWORD = "wrong-Pa55-do-not-log";
    private static final String DB = "secured";

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(1)
                            .build());

    @RegisterExtension static final InfluxDbExtension INFLUX = InfluxDbExtension.withAuth();

    @BeforeAll
    static void createAdminAndDatabase() {
        // With no user yet, InfluxDB 1.x accepts exactly this statement unauthenticated.
        INFLUX.admin()
                .execute(
                        "CREATE USER "
                                + USER
                                + " WITH PASSWORD '"
                                + PASSWORD
                                + "' WITH ALL PRIVILEGES");
        INFLUX.admin(USER, PASSWORD).createDatabase(DB);
    }

    @Test
    void wrongCredentialsFailTheJobWithAClearMessageWithoutThePassword() {
        StreamExecutionEnvironment env = environment();
        env.fromData(values(10)).sinkTo(sink(WRONG_PASSWORD)).name("influxdb").uid("influxdb-sink");

        assertThatThrownBy(() -> env.execute("wrong credentials"))
                .satisfies(
                        e -> {
                            assertThat(rootCause(e))
                                    .isInstanceOf(InfluxDbSinkException.class)
                                    .hasMessage(
                                            "authentication failed for user "
                                                    + USER
                                                    + " on "
                                                    + INFLUX.url()
                                                    + ": check INFLUX_USERNAME/INFLUX_PASSWORD");
                            assertThat(allMessages(e)).doesNotContain(WRONG_PASSWORD);
                        });
    }

    @Test
    void rightCredentialsWrite() throws Exception {
        StreamExecutionEnvironment env = environment();
        env.fromData(values(1000)).sinkTo(sink(PASSWORD)).name("influxdb").uid("influxdb-sink");
        env.execute("right credentials");

        assertThat(INFLUX.admin(USER, PASSWORD).queryLong(DB, "SELECT count(\"v\") FROM auth"))
                .isEqualTo(1000);
    }

    @Test
    void adminWithAWrongPasswordIsRefusedClearly() {
        assertThatThrownBy(
                        () -> INFLUX.admin(USER, WRONG_PASSWORD).queryLong(DB, "SHOW MEASUREMENTS"))
                .isInstanceOf(InfluxDbSinkException.class)
                .hasMessageStartingWith("authentication failed for user " + USER);
    }

    private static InfluxDbSink<Long> sink(String password) {
        return InfluxDbSink.<Long>builder()
                .setUrl(INFLUX.url())
                .setDatabase(DB)
                .setCredentials(USER, password)
                .setElementConverter(new AuthConverter())
                .build();
    }

    private static StreamExecutionEnvironment environment() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.getConfig().disableGenericTypes();
        return env;
    }

    private static List<Long> values(int n) {
        List<Long> values = new ArrayList<>(n);
        for (long i = 0; i < n; i++) {
            values.add(i);
        }
        return values;
    }

    private static Throwable rootCause(Throwable t) {
        Throwable current = t;
        while (current.getCause() != null && current.getCause() != current) {
            current = current.getCause();
        }
        return current;
    }

    private static String allMessages(Throwable t) {
        StringBuilder s = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            s.append(c).append('\n');
        }
        return s.toString();
    }

    /** i → {@code auth v=<i>i <1767225600000 + i>}. */
    static final class AuthConverter implements ElementConverter<Long, String> {
        @Override
        public String apply(
                Long i, org.apache.flink.api.connector.sink2.SinkWriter.Context context) {
            return new LineProtocol()
                    .measurement("auth")
                    .field("v", (long) i)
                    .timestampMs(1_767_225_600_000L + i)
                    .build();
        }
    }
}
