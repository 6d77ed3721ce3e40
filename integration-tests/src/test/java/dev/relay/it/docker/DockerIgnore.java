package dev.relay.it.docker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A {@code .dockerignore} read the way the Docker CLI reads it, so a test can tell which files
 * the image build would see, and the Testcontainers test can send exactly those.
 *
 * <p>Rules (Docker's pattern matcher): each line is a pattern, cleaned like a path, leading
 * {@code /} dropped; {@code *} matches within one path element, {@code **} any number of
 * elements, {@code ?} one character; a pattern matches a path when it matches the path itself
 * or one of its parent directories; the last matching line decides, and {@code !} makes that
 * line an exception (the path is sent). An excluded directory is not walked unless an
 * exception starts with its path.
 */
final class DockerIgnore {

    private record Rule(String text, Pattern regex, boolean exception) {
        boolean matches(String path) {
            return regex.matcher(path).matches();
        }
    }

    private final List<Rule> rules;

    private DockerIgnore(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    static DockerIgnore parse(String text) {
        List<Rule> rules = new ArrayList<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            boolean exception = line.startsWith("!");
            if (exception) {
                line = line.substring(1).strip();
            }
            String cleaned = clean(line);
            rules.add(new Rule(cleaned, Pattern.compile(toRegex(cleaned)), exception));
        }
        return new DockerIgnore(rules);
    }

    static DockerIgnore of(Path root) {
        try {
            return parse(Files.readString(root.resolve(".dockerignore")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the build context leaves this path out ({@code /}-separated, relative to the root). */
    boolean excludes(String path) {
        List<String> parents = new ArrayList<>();
        String[] parts = path.split("/");
        for (int i = 1; i < parts.length; i++) {
            parents.add(String.join("/", List.of(parts).subList(0, i)));
        }
        boolean excluded = false;
        for (Rule rule : rules) {
            // an exception can only change an excluded path, an exclusion only an included one
            if (rule.exception() != excluded) {
                continue;
            }
            boolean match = rule.matches(path) || parents.stream().anyMatch(rule::matches);
            if (match) {
                excluded = !rule.exception();
            }
        }
        return excluded;
    }

    /** The files under {@code root} that a build with this file as its {@code .dockerignore} sends, as relative paths. */
    List<String> contextFiles(Path root) {
        List<String> files = new ArrayList<>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    String relative = relative(root, dir);
                    if (relative.isEmpty() || !excludes(relative) || exceptionBelow(relative)) {
                        return FileVisitResult.CONTINUE;
                    }
                    return FileVisitResult.SKIP_SUBTREE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    String relative = relative(root, file);
                    if (attrs.isRegularFile() && !excludes(relative)) {
                        files.add(relative);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        files.sort(null);
        return files;
    }

    private boolean exceptionBelow(String directory) {
        return rules.stream().anyMatch(r -> r.exception() && (r.text() + "/").startsWith(directory + "/"));
    }

    private static String relative(Path root, Path path) {
        return root.relativize(path).toString().replace('\\', '/');
    }

    private static String clean(String pattern) {
        String path = Path.of(pattern).normalize().toString().replace('\\', '/');
        while (path.length() > 1 && path.startsWith("/")) {
            path = path.substring(1);
        }
        return path;
    }

    private static String toRegex(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '*') {
                if (i + 1 < pattern.length() && pattern.charAt(i + 1) == '*') {
                    i++;
                    if (i + 1 < pattern.length() && pattern.charAt(i + 1) == '/') {
                        i++;
                    }
                    regex.append(i + 1 == pattern.length() ? ".*" : "(.*/)?");
                } else {
                    regex.append("[^/]*");
                }
            } else if (c == '?') {
                regex.append("[^/]");
            } else if (c == '\\' && i + 1 < pattern.length()) {
                regex.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return regex.toString();
    }
}
