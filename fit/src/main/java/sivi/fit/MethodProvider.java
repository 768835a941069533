package sivi.fit;

import java.util.List;

/**
 * A source of methods, found through {@link java.util.ServiceLoader} (META-INF/services/sivi.fit.MethodProvider),
 * so that {@link Registry} never imports the packages that implement methods.
 */
public interface MethodProvider {
    List<MethodDescriptor> methods();
}
