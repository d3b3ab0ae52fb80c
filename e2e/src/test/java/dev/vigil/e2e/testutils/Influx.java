package dev.vigil.e2e.testutils;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.connectors.influxdb.InfluxDbAdmin;
import java.util.ArrayList;
import java.util.List;

/** Read helpers over InfluxDB query results (test side). */
public final class Influx {

    private Influx() {}

    /** Every row of every series of the first result (each row: time, then the columns). */
    public static List<JsonNode> rows(InfluxDbAdmin admin, String database, String influxql) {
        List<JsonNode> rows = new ArrayList<>();
        for (JsonNode series :
                admin.query(database, influxql).path("results").path(0).path("series")) {
            series.path("values").forEach(rows::add);
        }
        return rows;
    }

    /**
     * Points stored in {@code measurement}: the sum of {@code count(*)} over its fields (one point
     * per series, time and field, as InfluxDB deduplicates).
     */
    public static long fieldValues(InfluxDbAdmin admin, String database, String measurement) {
        long total = 0;
        for (JsonNode row : rows(admin, database, "SELECT count(*) FROM \"" + measurement + "\"")) {
            for (int i = 1; i < row.size(); i++) {
                total += row.path(i).asLong();
            }
        }
        return total;
    }
}
