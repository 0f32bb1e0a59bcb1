package dev.rlhf.backend;

/** Bounds of the {@code page} and {@code size} query parameters of the list endpoints. */
public final class Pages {

    /** The most items one page holds. */
    public static final int MAX_SIZE = 500;

    /**
     * The last page whose first item (page × size) an int still counts, as JPA's setFirstResult and Panache's Page
     * take it: past it the offset overflowed to a negative number and the query failed.
     */
    public static final int MAX_PAGE = Integer.MAX_VALUE / MAX_SIZE;

    private Pages() {
    }
}
