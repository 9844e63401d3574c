package io.lattice.node;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * NVML through the JDK's Foreign Function &amp; Memory API ({@code java.lang.foreign}): no JNI
 * library of our own, no extra dependency. {@link #load(String)} opens {@code libnvidia-ml.so.1}
 * (installed with the NVIDIA driver), calls {@code nvmlInit_v2}, counts the GPUs with
 * {@code nvmlDeviceGetCount_v2} and takes each one's handle with
 * {@code nvmlDeviceGetHandleByIndex_v2}; readings then call {@code nvmlDeviceGetTotalEnergyConsumption}
 * (mJ) or {@code nvmlDeviceGetPowerUsage} (mW), and {@link #close()} calls {@code nvmlShutdown}.
 *
 * <p>The C signatures bound here (from {@code nvml.h}): every call returns {@code nvmlReturn_t} (an
 * int enum, 0 = success); {@code nvmlDevice_t} is an opaque pointer; counts and indexes are
 * {@code unsigned int}, energy is {@code unsigned long long}.
 *
 * <p>Untested against real hardware where Lattice is built (no GPU there): the tests cover only
 * the library-absent path, and {@link GpuEnergy}'s arithmetic over a scripted stand-in. The JVM
 * needs {@code --enable-native-access=ALL-UNNAMED} (or the module's name) to call native code
 * without a warning.
 *
 * <p>Thread-safe; NVML's calls are.
 */
@SuppressWarnings("restricted") // calling native code is the point of this class; the JVM flag above allows it
final class NativeNvml implements NvmlLibrary {

    /** The library's name as the driver installs it. */
    static final String LIBRARY = "libnvidia-ml.so.1";

    private final Arena arena;
    private final MethodHandle energy;
    private final MethodHandle power;
    private final MethodHandle shutdown;
    private final MethodHandle errorString;
    private final List<MemorySegment> devices;
    private final AtomicBoolean closed = new AtomicBoolean();

    private NativeNvml(Arena arena, MethodHandle energy, MethodHandle power, MethodHandle shutdown,
                       MethodHandle errorString, List<MemorySegment> devices) {
        this.arena = arena;
        this.energy = energy;
        this.power = power;
        this.shutdown = shutdown;
        this.errorString = errorString;
        this.devices = List.copyOf(devices);
    }

    /**
     * Opens and initialises NVML.
     *
     * @param library a library name the dynamic linker resolves ({@link #LIBRARY}) or a path
     * @return the library with at least one GPU, or why there is none; never throws
     */
    static Probe<NvmlLibrary> load(String library) {
        Arena arena = Arena.ofShared();
        SymbolLookup lookup;
        try {
            lookup = SymbolLookup.libraryLookup(library, arena);
        } catch (IllegalArgumentException e) {
            arena.close();
            return Probe.unavailable(library + " cannot be loaded (no NVIDIA driver on this machine)");
        } catch (IllegalCallerException e) {
            arena.close();
            return Probe.unavailable("native access is not enabled; start the JVM with"
                    + " --enable-native-access=ALL-UNNAMED to read NVML");
        }
        Linker linker = Linker.nativeLinker();
        MethodHandle shutdown = null;
        try {
            MethodHandle init = linker.downcallHandle(lookup.findOrThrow("nvmlInit_v2"),
                    FunctionDescriptor.of(JAVA_INT));
            MethodHandle count = linker.downcallHandle(lookup.findOrThrow("nvmlDeviceGetCount_v2"),
                    FunctionDescriptor.of(JAVA_INT, ADDRESS));
            MethodHandle handle = linker.downcallHandle(lookup.findOrThrow("nvmlDeviceGetHandleByIndex_v2"),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
            MethodHandle energy = linker.downcallHandle(lookup.findOrThrow("nvmlDeviceGetTotalEnergyConsumption"),
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
            MethodHandle power = linker.downcallHandle(lookup.findOrThrow("nvmlDeviceGetPowerUsage"),
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
            MethodHandle errorString = linker.downcallHandle(lookup.findOrThrow("nvmlErrorString"),
                    FunctionDescriptor.of(ADDRESS, JAVA_INT));
            shutdown = linker.downcallHandle(lookup.findOrThrow("nvmlShutdown"), FunctionDescriptor.of(JAVA_INT));

            int rc = (int) init.invokeExact();
            if (rc != 0) {
                String text = text(errorString, rc);
                arena.close();
                return Probe.unavailable("nvmlInit_v2 failed: " + text + " (NVML code " + rc + ")");
            }
            List<MemorySegment> devices = new ArrayList<>();
            try (Arena call = Arena.ofConfined()) {
                MemorySegment n = call.allocate(JAVA_INT);
                rc = (int) count.invokeExact(n);
                if (rc != 0) {
                    return failAfterInit(shutdown, arena, "nvmlDeviceGetCount_v2 failed: " + text(errorString, rc));
                }
                for (int i = 0; i < n.get(JAVA_INT, 0); i++) {
                    MemorySegment out = call.allocate(ADDRESS);
                    rc = (int) handle.invokeExact(i, out);
                    if (rc != 0) {
                        return failAfterInit(shutdown, arena, "nvmlDeviceGetHandleByIndex_v2(" + i + ") failed: "
                                + text(errorString, rc));
                    }
                    devices.add(out.get(ADDRESS, 0));
                }
            }
            if (devices.isEmpty()) {
                return failAfterInit(shutdown, arena, "NVML sees no GPU");
            }
            return Probe.available(new NativeNvml(arena, energy, power, shutdown, errorString, devices),
                    devices.size() + " NVIDIA GPU" + (devices.size() == 1 ? "" : "s") + " through " + library);
        } catch (NoSuchElementException e) {
            // an NVML too old for the _v2 calls, or a library that is not NVML at all
            arena.close();
            return Probe.unavailable(library + " lacks an NVML call: " + e.getMessage());
        } catch (Throwable e) {
            if (shutdown != null) {
                return failAfterInit(shutdown, arena, "calling NVML failed: " + e);
            }
            arena.close();
            return Probe.unavailable("calling NVML failed: " + e);
        }
    }

    @Override
    public int deviceCount() {
        return devices.size();
    }

    @Override
    public long totalEnergyMillijoules(int device) throws NvmlException {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment out = call.allocate(JAVA_LONG);
            int rc = (int) energy.invokeExact(devices.get(device), out);
            check("nvmlDeviceGetTotalEnergyConsumption", rc);
            return out.get(JAVA_LONG, 0);
        } catch (NvmlException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("calling nvmlDeviceGetTotalEnergyConsumption failed", e);
        }
    }

    @Override
    public long powerMilliwatts(int device) throws NvmlException {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment out = call.allocate(JAVA_INT);
            int rc = (int) power.invokeExact(devices.get(device), out);
            check("nvmlDeviceGetPowerUsage", rc);
            // unsigned int in C
            return Integer.toUnsignedLong(out.get(JAVA_INT, 0));
        } catch (NvmlException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("calling nvmlDeviceGetPowerUsage failed", e);
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                int rc = (int) shutdown.invokeExact();
                if (rc != 0) {
                    System.getLogger(NativeNvml.class.getName()).log(System.Logger.Level.DEBUG,
                            "nvmlShutdown returned " + rc);
                }
            } catch (Throwable e) {
                System.getLogger(NativeNvml.class.getName()).log(System.Logger.Level.DEBUG, "nvmlShutdown failed", e);
            } finally {
                arena.close();
            }
        }
    }

    private void check(String call, int rc) throws NvmlException {
        if (rc != 0) {
            throw new NvmlException(call, rc, text(errorString, rc));
        }
    }

    private static Probe<NvmlLibrary> failAfterInit(MethodHandle shutdown, Arena arena, String reason) {
        try {
            int ignored = (int) shutdown.invokeExact();
        } catch (Throwable e) {
            // already failing; the reason below is what matters
        }
        arena.close();
        return Probe.unavailable(reason);
    }

    private static String text(MethodHandle errorString, int rc) {
        try {
            MemorySegment s = (MemorySegment) errorString.invokeExact(rc);
            // a pointer to a static C string: give it a length so it can be read up to its NUL
            return s.equals(MemorySegment.NULL) ? "unknown error" : s.reinterpret(1024).getString(0);
        } catch (Throwable e) {
            return "unknown error";
        }
    }
}
