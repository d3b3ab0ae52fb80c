package dev.vigil.common.parse;

/**
 * Builds the sorted tag array of a point from the topic variables and the payload's tags, with the
 * same result as {@code SeriesIdentity.sortTags} (sorted by key, last value wins): payload tags
 * come last, so they override topic variables of the same name.
 */
final class TagSets {

    static final String[] EMPTY = new String[0];

    private TagSets() {}

    /**
     * @param first alternating keys/values, {@code firstLength} entries used
     * @param second alternating keys/values, {@code secondLength} entries used; wins on duplicate
     *     keys
     * @return a new array (or {@link #EMPTY})
     */
    static String[] merge(String[] first, int firstLength, String[] second, int secondLength) {
        int length = firstLength + secondLength;
        if (length == 0) {
            return EMPTY;
        }
        String[] tags = new String[length];
        System.arraycopy(first, 0, tags, 0, firstLength);
        System.arraycopy(second, 0, tags, firstLength, secondLength);
        insertionSortPairs(tags);
        return dropShadowedKeys(tags);
    }

    /** Stable insertion sort of key/value pairs by key (tag sets are small). */
    private static void insertionSortPairs(String[] tags) {
        for (int i = 2; i < tags.length; i += 2) {
            String key = tags[i];
            String value = tags[i + 1];
            int j = i - 2;
            while (j >= 0 && tags[j].compareTo(key) > 0) {
                tags[j + 2] = tags[j];
                tags[j + 3] = tags[j + 1];
                j -= 2;
            }
            tags[j + 2] = key;
            tags[j + 3] = value;
        }
    }

    /** Keeps the last value of equal adjacent keys. */
    private static String[] dropShadowedKeys(String[] tags) {
        int size = 0;
        for (int i = 0; i < tags.length; i += 2) {
            if (size > 0 && tags[size - 2].equals(tags[i])) {
                tags[size - 1] = tags[i + 1];
            } else {
                tags[size++] = tags[i];
                tags[size++] = tags[i + 1];
            }
        }
        if (size == tags.length) {
            return tags;
        }
        String[] trimmed = new String[size];
        System.arraycopy(tags, 0, trimmed, 0, size);
        return trimmed;
    }
}
