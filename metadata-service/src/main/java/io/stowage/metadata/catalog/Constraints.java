package io.stowage.metadata.catalog;

import io.vertx.pgclient.PgException;

/** Which constraint refused a statement, read from PostgreSQL's SQLSTATE through any wrapping. */
final class Constraints {

    private static final String UNIQUE_VIOLATION = "23505";
    private static final String FOREIGN_KEY_VIOLATION = "23503";

    private Constraints() {
    }

    /** A unique index refused the row: a concurrent request took the name first. */
    static boolean isUniqueViolation(Throwable failure) {
        return hasSqlState(failure, UNIQUE_VIOLATION);
    }

    static boolean isForeignKeyViolation(Throwable failure) {
        return hasSqlState(failure, FOREIGN_KEY_VIOLATION);
    }

    private static boolean hasSqlState(Throwable failure, String state) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof PgException pg && state.equals(pg.getSqlState())) {
                return true;
            }
            if (t instanceof org.hibernate.exception.ConstraintViolationException cv && state.equals(cv.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
