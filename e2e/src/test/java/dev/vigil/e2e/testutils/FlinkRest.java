package dev.vigil.e2e.testutils;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

/**
 * The parts of Flink's REST API the tests use: upload and run a jar (as {@code
 * scripts/flink-submit.sh} does), job state, stop with a savepoint.
 */
public final class FlinkRest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration POLL = Duration.ofMillis(200);

    private final String url;
    private final HttpClient http = HttpClient.newHttpClient();

    public FlinkRest(String url) {
        this.url = url;
    }

    /** {@code POST /jars/upload}; returns the jar id. */
    public String upload(Path jar) {
        String boundary = "vigil-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            body.write(
                    ("--"
                                    + boundary
                                    + "\r\nContent-Disposition: form-data; name=\"jarfile\";"
                                    + " filename=\""
                                    + jar.getFileName()
                                    + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n")
                            .getBytes(StandardCharsets.UTF_8));
            body.write(Files.readAllBytes(jar));
            body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        JsonNode answer =
                send(
                        HttpRequest.newBuilder(URI.create(url + "/jars/upload"))
                                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
        return Path.of(answer.path("filename").asText()).getFileName().toString();
    }

    /**
     * {@code POST /jars/<id>/run}; returns the job id.
     *
     * @param savepointPath a savepoint to resume from, or {@code null}
     */
    public String run(
            String jarId,
            String entryClass,
            List<String> programArgs,
            int parallelism,
            String savepointPath) {
        ObjectNode request = JSON.createObjectNode();
        request.put("entryClass", entryClass);
        request.putPOJO("programArgsList", programArgs);
        request.put("parallelism", parallelism);
        if (savepointPath != null) {
            request.put("savepointPath", savepointPath);
        }
        return post("/jars/" + jarId + "/run", request).path("jobid").asText();
    }

    /** The job's state (RUNNING, FINISHED, ...). */
    public String jobState(String jobId) {
        return get("/jobs/" + jobId).path("state").asText();
    }

    /** Whether the job and every one of its tasks runs. */
    public boolean allTasksRunning(String jobId) {
        JsonNode job = get("/jobs/" + jobId);
        if (!"RUNNING".equals(job.path("state").asText())) {
            return false;
        }
        for (JsonNode vertex : job.path("vertices")) {
            if (!"RUNNING".equals(vertex.path("status").asText())) {
                return false;
            }
        }
        return true;
    }

    /** Polls until every task of the job runs; fails with the job's exceptions otherwise. */
    public void awaitAllTasksRunning(String jobId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!allTasksRunning(jobId)) {
            if (System.nanoTime() > deadline || isTerminal(jobState(jobId))) {
                throw new AssertionError(
                        "job "
                                + jobId
                                + " is "
                                + jobState(jobId)
                                + ", not running: "
                                + get("/jobs/" + jobId + "/exceptions").path("root-exception"));
            }
            LockSupport.parkNanos(POLL.toNanos());
        }
    }

    /**
     * {@code POST /jobs/<id>/stop} with a target directory, then polls the operation; returns the
     * savepoint's location.
     */
    public String stopWithSavepoint(String jobId, Path targetDirectory, Duration timeout) {
        ObjectNode request = JSON.createObjectNode();
        request.put("targetDirectory", targetDirectory.toUri().toString());
        request.put("drain", false);
        String trigger = post("/jobs/" + jobId + "/stop", request).path("request-id").asText();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode status = get("/jobs/" + jobId + "/savepoints/" + trigger);
            if ("COMPLETED".equals(status.path("status").path("id").asText())) {
                JsonNode operation = status.path("operation");
                if (operation.has("failure-cause")) {
                    throw new AssertionError("stop with savepoint failed: " + operation);
                }
                return operation.path("location").asText();
            }
            LockSupport.parkNanos(POLL.toNanos());
        }
        throw new AssertionError("no savepoint of " + jobId + " within " + timeout);
    }

    /** Resource ids of the TaskManagers that run subtasks of the job (e.g. {@code tm-1}). */
    public java.util.Set<String> taskManagersOf(String jobId) {
        java.util.Set<String> ids = new java.util.TreeSet<>();
        for (JsonNode vertex : get("/jobs/" + jobId).path("vertices")) {
            String path = "/jobs/" + jobId + "/vertices/" + vertex.path("id").asText();
            for (JsonNode tm : get(path + "/taskmanagers").path("taskmanagers")) {
                ids.add(tm.path("taskmanager-id").asText());
            }
        }
        return ids;
    }

    /** How often the job restarted (job metric {@code numRestarts}). */
    public long numRestarts(String jobId) {
        for (JsonNode metric : get("/jobs/" + jobId + "/metrics?get=numRestarts")) {
            return metric.path("value").asLong();
        }
        return 0;
    }

    /** The id of the latest completed checkpoint, 0 when none. */
    public long latestCompletedCheckpoint(String jobId) {
        return get("/jobs/" + jobId + "/checkpoints")
                .path("latest")
                .path("completed")
                .path("id")
                .asLong(0);
    }

    /** The latest checkpoint the job restored from after a failure, 0 when none. */
    public long latestRestoredCheckpoint(String jobId) {
        return get("/jobs/" + jobId + "/checkpoints")
                .path("latest")
                .path("restored")
                .path("id")
                .asLong(0);
    }

    /** The state size of the latest completed checkpoint, in bytes. */
    public long latestCheckpointSize(String jobId) {
        JsonNode latest = get("/jobs/" + jobId + "/checkpoints").path("latest").path("completed");
        return latest.path("checkpointed_size").asLong(latest.path("state_size").asLong(0));
    }

    private static boolean isTerminal(String state) {
        return List.of("FAILED", "CANCELED", "FINISHED").contains(state);
    }

    private JsonNode get(String path) {
        return send(HttpRequest.newBuilder(URI.create(url + path)).GET());
    }

    private JsonNode post(String path, JsonNode body) {
        return send(
                HttpRequest.newBuilder(URI.create(url + path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    private JsonNode send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response =
                    http.send(
                            request.timeout(Duration.ofSeconds(60)).build(),
                            HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                throw new IllegalStateException(
                        "Flink REST "
                                + response.request().method()
                                + " "
                                + response.request().uri()
                                + " answered "
                                + response.statusCode()
                                + ": "
                                + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
