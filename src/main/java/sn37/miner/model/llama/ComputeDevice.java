package sn37.miner.model.llama;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;

/** Maps {@code --device cpu|cuda|cuda:N} to a DJL device this process can really use. */
public final class ComputeDevice {

    private ComputeDevice() {
    }

    /**
     * @param spec {@code cpu}, {@code cuda} (GPU 0) or {@code cuda:N}; null means cpu
     * @throws UnsupportedDeviceException when a GPU is asked for and the PyTorch natives on the
     *     class path have no CUDA, or the GPU index is not there
     */
    public static Device of(String spec) {
        if (spec == null || spec.equals("cpu")) {
            return Device.cpu();
        }
        if (!spec.matches("cuda(:\\d{1,2})?")) {
            throw new UnsupportedDeviceException("--device must be cpu, cuda or cuda:N (got '" + spec + "')");
        }
        int index = spec.equals("cuda") ? 0 : Integer.parseInt(spec.substring(5));
        Engine engine = Engine.getEngine("PyTorch");
        if (!engine.hasCapability(StandardCapabilities.CUDA)) {
            throw new UnsupportedDeviceException("--device " + spec + ": the PyTorch natives of this build are"
                    + " CPU-only; build with the CUDA profile (mvn -Pcuda package, see README) on a machine with an"
                    + " NVIDIA driver, or use --device cpu");
        }
        int gpus = engine.getGpuCount();
        if (gpus == 0) {
            throw new UnsupportedDeviceException("--device " + spec + ": no CUDA GPU is visible to this process"
                    + " (no NVIDIA driver, or CUDA_VISIBLE_DEVICES hides them); use --device cpu");
        }
        if (index >= gpus) {
            throw new UnsupportedDeviceException("--device " + spec + ": this machine has " + gpus
                    + " CUDA GPU(s) visible; use cuda:0.." + (gpus - 1) + " or --device cpu");
        }
        return Device.gpu(index);
    }

    /** Raised for a device this process cannot use; the message says what to do instead. */
    public static final class UnsupportedDeviceException extends IllegalArgumentException {
        public UnsupportedDeviceException(String message) {
            super(message);
        }
    }
}
