package dev.vigil.pipeline.nab;

import java.time.LocalDateTime;

/**
 * A labelled anomaly window of one file: its limits as in the label file and the row indices of
 * those limits (inclusive) in the data file.
 */
public record NabWindow(LocalDateTime start, LocalDateTime end, int startIndex, int endIndex) {

    /** Number of rows in the window (NAB's {@code windowWidth}). */
    public int width() {
        return endIndex - startIndex + 1;
    }
}
