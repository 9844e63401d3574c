package io.lattice.store;

/**
 * Transactions over one database, whatever the engine: the seam where PostgreSQL will plug in.
 * Repositories and the migrator speak only to this and write SQL both engines accept.
 *
 * <p>Thread-safe. Both methods run {@code work} in one transaction, commit when it returns and roll
 * back when it throws; an {@link java.sql.SQLException} comes out as a {@link StoreException} naming
 * {@code what} and the database, a {@link RuntimeException} as itself. Both throw
 * {@link IllegalStateException} once the database is closed.
 */
interface Database extends AutoCloseable {

    /** Runs {@code work} in a write transaction; writes are serialised. */
    <T> T write(String what, SqlWork<T> work);

    /** Runs {@code work} in a read-only transaction that sees one consistent snapshot. */
    <T> T read(String what, SqlWork<T> work);

    /** The migration dialect folder: {@code sqlite} or {@code postgres}. */
    String dialect();

    /** For messages: the engine and where it is, never a password. */
    String describe();

    /** Closes every connection. Idempotent. */
    @Override
    void close();
}
