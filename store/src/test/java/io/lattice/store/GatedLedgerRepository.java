package io.lattice.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The real repository with a gate in front of its first {@link #appendAll}: the writer's thread
 * stops there until the test opens the gate, so the test can queue entries behind it and know what
 * the next batch holds. Records the size of every batch that reached the repository.
 */
final class GatedLedgerRepository implements LedgerRepository {

    private final LedgerRepository real;
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch open = new CountDownLatch(1);
    private final List<Integer> batchSizes = new CopyOnWriteArrayList<>();

    GatedLedgerRepository(LedgerRepository real) {
        this.real = real;
    }

    void awaitBlocked() throws InterruptedException {
        if (!entered.await(10, TimeUnit.SECONDS)) {
            throw new AssertionError("the writer never reached the repository");
        }
    }

    void openGate() {
        open.countDown();
    }

    List<Integer> batchSizes() {
        return new ArrayList<>(batchSizes);
    }

    @Override
    public int appendAll(Collection<LedgerEntry> entries) {
        entered.countDown();
        try {
            if (!open.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("the test never opened the gate");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        batchSizes.add(entries.size());
        return real.appendAll(entries);
    }

    @Override
    public boolean append(LedgerEntry entry) {
        return appendAll(List.of(entry)) == 1;
    }

    @Override
    public List<LedgerEntry> list(LedgerQuery query) {
        return real.list(query);
    }

    @Override
    public LedgerTotals sum(LedgerQuery query) {
        return real.sum(query);
    }
}
