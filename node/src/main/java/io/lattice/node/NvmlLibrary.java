package io.lattice.node;

/**
 * The few calls of NVIDIA's management library (NVML) the node needs to meter its GPUs, behind an
 * interface so the energy arithmetic ({@link GpuEnergy}) does not depend on native code. The real
 * implementation is {@link NativeNvml}; open one with {@link NativeNvml#load(String)}.
 *
 * <p>Thread-safe (NVML itself is). {@link #close()} shuts NVML down once; calls after it fail.
 */
interface NvmlLibrary extends AutoCloseable {

    /** NVML's code for "this device does not support that call" ({@code NVML_ERROR_NOT_SUPPORTED}). */
    int NOT_SUPPORTED = 3;

    /** A failed NVML call: its return code and NVML's text for it. */
    final class NvmlException extends Exception {
        private final int code;

        NvmlException(String call, int code, String text) {
            super(call + " failed: " + text + " (NVML code " + code + ")");
            this.code = code;
        }

        int code() {
            return code;
        }
    }

    /** GPUs NVML sees. */
    int deviceCount() throws NvmlException;

    /**
     * Energy GPU {@code device} used since the driver was loaded, mJ
     * ({@code nvmlDeviceGetTotalEnergyConsumption}; Volta and newer, else {@link #NOT_SUPPORTED}).
     */
    long totalEnergyMillijoules(int device) throws NvmlException;

    /** Power GPU {@code device} draws now, mW ({@code nvmlDeviceGetPowerUsage}). */
    long powerMilliwatts(int device) throws NvmlException;

    /** Shuts NVML down ({@code nvmlShutdown}); idempotent, never throws. */
    @Override
    void close();
}
