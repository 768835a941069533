package sivi.methods;

import org.junit.jupiter.api.Test;
import sivi.fit.Fit;
import sivi.fit.Sivi;
import sivi.targets.Targets;

import static org.junit.jupiter.api.Assertions.*;

class KsiviSmokeTest {
    @Test void runsOnBanana() {
        Fit fit = Sivi.method("ksivi").preset("ksivi-banana").iterations(300).set("batch", 200).seed(3).fit(Targets.banana());
        System.out.println("ms/it " + fit.msPerIteration() + " final " + fit.finalObjective() + " wall " + fit.wallSeconds());
        assertEquals(1000, fit.samples().dim(0));
    }
}
