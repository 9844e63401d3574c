package io.lattice.node;

import io.lattice.api.ApiError;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Admission to engine slots. Each model has a fixed number of slots (one by default: llama.cpp runs
 * one sequence at a time); a request takes a {@link Permit} for its model, waiting in a fair FIFO
 * queue while all slots are busy. The node-wide number of waiting requests is bounded; a request
 * that finds the queue full is refused at once with 429 so a gateway can place it elsewhere instead
 * of letting it rot here.
 *
 * <p>Thread-safe. Queue depth and in-flight counts are exact at the moment they are read.
 */
final class Capacity {

    /** One model's slots. */
    private record Slots(String modelId, int count, Semaphore semaphore, boolean metered) {
    }

    private final String nodeId;
    private final Map<String, Slots> byModel;
    private final int queueLimit;
    private final BusyWindow busy;
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();

    /**
     * @param slots      slots per model id
     * @param metered    model ids whose busy time counts towards the node's utilisation (local engines)
     * @param queueLimit requests that may wait across all models; 0 refuses any request that would wait
     * @param busy       records the busy time of metered slots; its slot count must be their sum
     */
    Capacity(String nodeId, Map<String, Integer> slots, Set<String> metered, int queueLimit,
             BusyWindow busy) {
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
        this.queueLimit = queueLimit;
        this.busy = Objects.requireNonNull(busy, "busy");
        this.byModel = Map.copyOf(slots.entrySet().stream().collect(Collectors.toMap(
                Map.Entry::getKey,
                e -> new Slots(e.getKey(), e.getValue(), new Semaphore(e.getValue(), true),
                        metered.contains(e.getKey())))));
    }

    /**
     * Takes a slot of {@code modelId}, waiting in line while all are busy.
     *
     * @return the permit; close it exactly once when the engine call has returned (a second close does nothing)
     * @throws io.lattice.api.ApiException 429 when the wait queue is full, 503 when interrupted
     *                                     (the node is shutting down)
     * @throws IllegalArgumentException    for a model that has no slots (a bug: callers check the model first)
     */
    Permit acquire(String modelId) {
        Slots s = byModel.get(modelId);
        if (s == null) {
            throw new IllegalArgumentException("no slots for model " + modelId);
        }
        try {
            // tryAcquire with a timeout honours the semaphore's fairness; the untimed one would barge the queue
            if (!s.semaphore().tryAcquire(0, TimeUnit.NANOSECONDS)) {
                int nowWaiting = waiting.incrementAndGet();
                if (nowWaiting > queueLimit) {
                    waiting.decrementAndGet();
                    throw saturated(s).toException();
                }
                try {
                    s.semaphore().acquire();
                } finally {
                    waiting.decrementAndGet();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiError(503, "Node " + nodeId + " is shutting down; send the request to another node.",
                    ApiError.SERVER_ERROR, null, "node_unavailable", 1).toException();
        }
        inFlight.incrementAndGet();
        return new Permit(s, s.metered() ? busy.begin() : null);
    }

    /** Requests waiting for a slot now, all models together. */
    int queueDepth() {
        return waiting.get();
    }

    /** Requests holding a slot now, all models together. */
    int inFlight() {
        return inFlight.get();
    }

    private ApiError saturated(Slots s) {
        return new ApiError(429, "Node " + nodeId + " is saturated: " + queueDepth() + " requests are waiting (limit "
                + queueLimit + ") and " + inFlight() + " are running; model '" + s.modelId() + "' has " + s.count()
                + " slot" + (s.count() == 1 ? "" : "s") + ". Retry shortly or send the request to another node.",
                "requests", null, "node_saturated", 1);
    }

    /**
     * One engine slot, held from {@link #acquire} until {@link #close()}. Closing twice is harmless:
     * the slot is released once.
     */
    final class Permit implements AutoCloseable {
        private final Slots slots;
        private final BusyWindow.Hold hold;
        private final AtomicBoolean closed = new AtomicBoolean();

        private Permit(Slots slots, BusyWindow.Hold hold) {
            this.slots = slots;
            this.hold = hold;
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                if (hold != null) {
                    busy.end(hold);
                }
                inFlight.decrementAndGet();
                slots.semaphore().release();
            }
        }
    }
}
