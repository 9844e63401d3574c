package io.lattice.node;

import java.util.ArrayList;
import java.util.List;

/**
 * A stand-in for NVML, scripted by the test: no GPU exists where Lattice is built, so the arithmetic
 * over NVML's answers (energy counters in mJ, power in mW, unsupported calls, failures) can only be
 * checked against one. The native binding itself ({@link NativeNvml}) is not exercised by it.
 * Thread-safe.
 */
final class ScriptedNvml implements NvmlLibrary {

    /** One GPU: an energy counter (mJ, or null when the GPU has none) and a power draw (mW). */
    static final class Gpu {
        Long millijoules;
        long milliwatts;
        boolean failing;

        Gpu(Long millijoules, long milliwatts) {
            this.millijoules = millijoules;
            this.milliwatts = milliwatts;
        }
    }

    final List<Gpu> gpus = new ArrayList<>();
    boolean closed;

    ScriptedNvml gpu(Long millijoules, long milliwatts) {
        gpus.add(new Gpu(millijoules, milliwatts));
        return this;
    }

    @Override
    public synchronized int deviceCount() {
        return gpus.size();
    }

    @Override
    public synchronized long totalEnergyMillijoules(int device) throws NvmlException {
        Gpu g = gpus.get(device);
        if (g.failing) {
            throw new NvmlException("nvmlDeviceGetTotalEnergyConsumption", 15, "GPU is lost");
        }
        if (g.millijoules == null) {
            throw new NvmlException("nvmlDeviceGetTotalEnergyConsumption", NOT_SUPPORTED, "Not Supported");
        }
        return g.millijoules;
    }

    @Override
    public synchronized long powerMilliwatts(int device) throws NvmlException {
        Gpu g = gpus.get(device);
        if (g.failing) {
            throw new NvmlException("nvmlDeviceGetPowerUsage", 15, "GPU is lost");
        }
        return g.milliwatts;
    }

    @Override
    public synchronized void close() {
        closed = true;
    }
}
