package sivi.methods;

import java.util.ArrayList;
import java.util.List;
import sivi.fit.MethodDescriptor;
import sivi.fit.MethodProvider;
import sivi.fit.Preset;

/**
 * The built-in methods, in the order {@code sivi methods} lists them, each with its presets. Found by
 * {@link sivi.fit.Registry} through ServiceLoader (META-INF/services/sivi.fit.MethodProvider). Adding a
 * method: its class with a {@code DESCRIPTOR}, one line here, presets in ElboPresets or ScoreBased.
 */
public final class BuiltInMethods implements MethodProvider {
    static final List<MethodDescriptor> ALL = withPresets(
            List.of(Advi.MEAN_FIELD, Advi.FULL_RANK, SiviMethod.DESCRIPTOR, Iwhvi.DESCRIPTOR, Uivi.DESCRIPTOR, Svgd.DESCRIPTOR,
                    Ksivi.DESCRIPTOR, SiviSm.DESCRIPTOR, Ksivi.MULTI_LAYER, Kpg.DESCRIPTOR, Kpg.IMPORTANCE_SAMPLING, Hsivi.DESCRIPTOR,
                    Bbvi.DESCRIPTOR, Renyi.DESCRIPTOR, Renyi.IWAE, Renyi.FLOW, Laplace.DESCRIPTOR, Pathfinder.DESCRIPTOR),
            ElboPresets.all(), ScoreBased.all(), BoundPresets.all());

    @Override public List<MethodDescriptor> methods() { return ALL; }

    @SafeVarargs
    private static List<MethodDescriptor> withPresets(List<MethodDescriptor> methods, List<Preset>... presets) {
        List<MethodDescriptor> out = new ArrayList<>();
        for (MethodDescriptor d : methods) {
            List<Preset> own = new ArrayList<>();
            for (List<Preset> ps : presets) for (Preset p : ps) if (p.method().equals(d.name())) own.add(p);
            out.add(d.withPresets(own));
        }
        return out;
    }
}
