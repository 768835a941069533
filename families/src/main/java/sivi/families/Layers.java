package sivi.families;

/** Layer sizes of the families' MLPs. */
final class Layers {
    private Layers() {}

    /** [in, hidden…, out]. */
    static int[] sizes(int in, int[] hidden, int out) {
        int[] sizes = new int[hidden.length + 2];
        sizes[0] = in;
        System.arraycopy(hidden, 0, sizes, 1, hidden.length);
        sizes[sizes.length - 1] = out;
        return sizes;
    }
}
