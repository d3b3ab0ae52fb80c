package dev.vigil.pipeline.nab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** A NAB cost profile (NAB's {@code config/profiles.json} "CostMatrix"). */
public record NabProfile(
        String name, double tpWeight, double fpWeight, double fnWeight, double tnWeight) {

    public static final String STANDARD = "standard";
    public static final String REWARD_LOW_FP_RATE = "reward_low_FP_rate";
    public static final String REWARD_LOW_FN_RATE = "reward_low_FN_rate";

    /** Reads NAB's profiles.json; the map keeps the file's order. */
    public static Map<String, NabProfile> load(Path profilesJson) {
        JsonNode root = readJson(profilesJson);
        Map<String, NabProfile> profiles = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = root.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            profiles.put(e.getKey(), fromCostMatrix(e.getKey(), e.getValue().path("CostMatrix")));
        }
        if (profiles.isEmpty()) {
            throw new IllegalArgumentException("No profiles in " + profilesJson);
        }
        return Collections.unmodifiableMap(profiles);
    }

    private static NabProfile fromCostMatrix(String name, JsonNode costMatrix) {
        return new NabProfile(
                name,
                requiredWeight(name, costMatrix, "tpWeight"),
                requiredWeight(name, costMatrix, "fpWeight"),
                requiredWeight(name, costMatrix, "fnWeight"),
                costMatrix.path("tnWeight").asDouble(1.0));
    }

    private static double requiredWeight(String profile, JsonNode costMatrix, String field) {
        JsonNode node = costMatrix.get(field);
        if (node == null || !node.isNumber()) {
            throw new IllegalArgumentException(
                    "Profile '" + profile + "' has no numeric CostMatrix." + field);
        }
        return node.doubleValue();
    }

    static JsonNode readJson(Path file) {
        try {
            return new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read JSON file " + file, e);
        }
    }
}
