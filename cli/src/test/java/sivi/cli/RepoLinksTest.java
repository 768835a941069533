package sivi.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The repository is self-contained (issue #16): no source, doc or script names a file outside it, and
 * every link "docs/NAME.md#anchor" (or "NAME.md#anchor" for a doc in docs/) names a heading that exists.
 */
class RepoLinksTest {
    // spelled in pieces so that this file does not match itself
    private static final List<String> OUTSIDE = List.of(".." + "/shared", "/work" + "/", "shared" + "/design");
    private static final Pattern DESIGN_FILE = Pattern.compile("\\b(?:ALGORITHMS|TARGETS|ARCHITECTURE)\\.md");
    private static final Pattern DOC_LINK = Pattern.compile("(?<![A-Za-z0-9_])([A-Za-z0-9_-]+\\.md)#([A-Za-z0-9_-]+)");
    private static final Pattern SAME_FILE_LINK = Pattern.compile("\\]\\(#([A-Za-z0-9_-]+)\\)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.+?)\\s*#*\\s*$", Pattern.MULTILINE);
    private static final Set<String> TEXT = Set.of("java", "md", "sh", "xml", "properties", "txt", "json", "yml", "yaml");
    private static final Set<String> SKIP_DIRS = Set.of(".git", "target", "runs", ".sivi", "node_modules");

    /** GitHub's heading anchor: lower case, punctuation other than '-' and '_' dropped, spaces to '-'. */
    static String slug(String heading) {
        return heading.strip().toLowerCase(java.util.Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
    }

    static Set<String> anchors(String markdown) {
        Set<String> out = new HashSet<>();
        boolean fenced = false;
        for (String line : markdown.split("\n", -1)) {
            if (line.startsWith("```")) { fenced = !fenced; continue; }
            Matcher m = HEADING.matcher(line);
            if (!fenced && m.matches()) out.add(slug(m.group(1)));
        }
        return out;
    }

    /**
     * The problems in one file's text: paths outside the repository, design files not in docs/, and
     * links to anchors missing from {@code docs} (doc file name → its anchors). {@code selfDoc} is the
     * file's own name when it is one of the docs (for its "(#anchor)" links), else null.
     */
    static List<String> problems(String file, String text, Map<String, Set<String>> docs, String selfDoc) {
        List<String> out = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i], at = file + ":" + (i + 1) + ": ";
            for (String o : OUTSIDE) if (line.contains(o)) out.add(at + "names a path outside the repository (" + o + ")");
            Matcher d = DESIGN_FILE.matcher(line);
            while (d.find())
                if (!(d.start() >= 5 && line.startsWith("docs/", d.start() - 5) && docs.containsKey(d.group())))
                    out.add(at + "names " + d.group() + ", which is not a file in docs/");
            Matcher l = DOC_LINK.matcher(line);
            while (l.find()) {
                Set<String> a = docs.get(l.group(1));
                if (a != null && !a.contains(l.group(2))) out.add(at + "links " + l.group(1) + "#" + l.group(2) + ", an anchor that does not exist");
            }
            if (selfDoc != null) {
                Matcher s = SAME_FILE_LINK.matcher(line);
                while (s.find())
                    if (!docs.get(selfDoc).contains(s.group(1))) out.add(at + "links #" + s.group(1) + ", an anchor that does not exist");
            }
        }
        return out;
    }

    static Path repoRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent())
            if (Files.isRegularFile(p.resolve("docs/algorithms.md")) && Files.isRegularFile(p.resolve("pom.xml"))) return p;
        throw new IllegalStateException("no repository root (a directory with docs/algorithms.md and pom.xml) above " + Path.of("").toAbsolutePath());
    }

    private static boolean scanned(Path root, Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? p.getParent().equals(root) || p.getParent().getFileName().toString().equals("scripts")
                || p.getParent().getFileName().toString().equals(".ci") : TEXT.contains(n.substring(dot + 1));
    }

    @Test void noFileNamesAPathOutsideTheRepositoryOrAMissingAnchor() throws IOException {
        Path root = repoRoot();
        Map<String, Set<String>> docs = new HashMap<>();
        try (Stream<Path> s = Files.list(root.resolve("docs"))) {
            for (Path p : s.filter(p -> p.toString().endsWith(".md")).toList()) docs.put(p.getFileName().toString(), anchors(Files.readString(p)));
        }
        assertTrue(docs.get("algorithms.md").containsAll(List.of("ksivi", "sivi-sm", "kpg-is", "hsivi-sm", "nuts")), "docs/algorithms.md lost its method anchors");
        List<String> found = new ArrayList<>();
        int files = 0;
        List<Path> paths = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes a) {
                return SKIP_DIRS.contains(dir.getFileName().toString()) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override public FileVisitResult visitFile(Path p, BasicFileAttributes a) {
                if (a.isRegularFile() && scanned(root, p)) paths.add(p);
                return FileVisitResult.CONTINUE;
            }
        });
        for (Path p : paths) {
            String text;
            try { text = Files.readString(p); } catch (MalformedInputException e) { continue; }   // binary
            files++;
            String rel = root.relativize(p).toString().replace('\\', '/');
            String self = p.getParent().equals(root.resolve("docs")) && docs.containsKey(p.getFileName().toString()) ? p.getFileName().toString() : null;
            found.addAll(problems(rel, text, docs, self));
        }
        assertTrue(files > 100, "scanned only " + files + " files under " + root);
        assertEquals(List.of(), found, () -> found.size() + " reference(s) to outside the repository or to missing anchors:\n" + String.join("\n", found));
    }

    @Test void problemsFlagsOutsidePathsDesignFilesAndMissingAnchors() {
        Map<String, Set<String>> docs = Map.of("algorithms.md", Set.of("ksivi"), "architecture.md", Set.of());
        assertEquals(List.of(), problems("A.java", "see docs/algorithms.md#ksivi and docs/architecture.md", docs, null));
        assertEquals(1, problems("A.java", "copied from .." + "/shared/data", docs, null).size());
        assertEquals(1, problems("A.java", "see " + "ALGORITHMS" + ".md §8", docs, null).size());
        assertEquals(1, problems("A.java", "see docs/" + "TARGETS" + ".md", docs, null).size());
        assertEquals(1, problems("A.java", "see docs/algorithms.md#kpg", docs, null).size());
        assertEquals(1, problems("algorithms.md", "[x](#nope) [y](#ksivi)", docs, "algorithms.md").size());
        assertEquals(List.of(), problems("A.java", "README.md#metrics is not a docs/ file", docs, null));
    }

    @Test void slugFollowsGitHubHeadingAnchors() {
        assertEquals("ksivi-ml", slug("ksivi-ml"));
        assertEquals("hsivi-sm-as-implemented-docsalgorithmsmd", slug("HSIVI-SM as implemented (docs/algorithms.md)"));
        assertEquals(Set.of("a", "b-c"), anchors("# a\n```\n# not a heading\n```\n## B c\n"));
    }
}
