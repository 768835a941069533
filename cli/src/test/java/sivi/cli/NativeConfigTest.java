package sivi.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** native-config/picocli holds a copy of picocli-codegen's output; the copy must match what the build generates. */
class NativeConfigTest {
    @Test void picocliMetadataCopyIsFresh() throws Exception {
        Path generated = Path.of("target/classes/META-INF/native-image/picocli-generated/sivi/cli");
        Path copy = Path.of("../native-config/picocli");
        for (String f : new String[] {"reflect-config.json", "resource-config.json", "proxy-config.json"})
            assertEquals(Files.readString(generated.resolve(f)), Files.readString(copy.resolve(f)),
                    "native-config/picocli/" + f + " is stale; refresh with: cp cli/" + generated + "/*.json native-config/picocli/");
    }
}
