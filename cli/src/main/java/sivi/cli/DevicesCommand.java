package sivi.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import sivi.kernels.Backends;

/**
 * {@code sivi devices}: the OpenCL platforms and devices (index for {@code --device N}, type,
 * compute units, memory, fp64), then which fused ops each backend runs natively and which as twins.
 * Exits 0 also when there is no OpenCL runtime or device, and says so.
 */
@Command(name = "devices", mixinStandardHelpOptions = true,
        description = {"List OpenCL devices for 'sivi fit --backend opencl --device N'.",
                "Exits 0 also when there is none (the reason is printed)."})
final class DevicesCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override public Integer call() {
        String text;
        try {
            text = Backends.describeDevices();
        } catch (RuntimeException | LinkageError e) {   // a broken OpenCL installation: report, do not fail
            text = "OpenCL: no usable runtime (" + Main.oneLine(String.valueOf(e.getMessage())) + ")\n";
        }
        try {
            text += Backends.describeFused(true);
        } catch (RuntimeException | LinkageError e) {
            text += "fused ops: not listed (" + Main.oneLine(String.valueOf(e.getMessage())) + ")\n";
        }
        spec.commandLine().getOut().print(text);
        spec.commandLine().getOut().flush();
        return Main.OK;
    }
}
