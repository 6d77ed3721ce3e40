package dev.relay.it.docker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A Dockerfile read into stages of instructions, for checking what it says against the build
 * and the configuration without a Docker engine. Understands what docker/Dockerfile uses:
 * comments, {@code \} continuations, {@code FROM ... AS name}, flags such as
 * {@code --from=build}, exec (JSON) and shell forms, {@code ENV key=value} pairs.
 */
record Dockerfile(List<Dockerfile.Stage> stages) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One instruction, continuation lines joined. */
    record Instruction(int line, String keyword, String arguments) {

        boolean isExecForm() {
            return arguments.startsWith("[");
        }

        /** The JSON array of the exec form. */
        List<String> execForm() {
            if (!isExecForm()) {
                throw new AssertionError("line " + line + ": " + keyword + " is in shell form, not exec form: " + arguments);
            }
            try {
                return JSON.readValue(arguments, new TypeReference<List<String>>() {});
            } catch (JsonProcessingException e) {
                throw new AssertionError("line " + line + ": " + keyword + " is not a JSON array: " + arguments, e);
            }
        }

        /** The leading {@code --name=value} flags. */
        Map<String, String> flags() {
            Map<String, String> flags = new LinkedHashMap<>();
            for (String word : splitWords()) {
                if (!word.startsWith("--")) {
                    break;
                }
                int eq = word.indexOf('=');
                flags.put(eq < 0 ? word.substring(2) : word.substring(2, eq), eq < 0 ? "" : word.substring(eq + 1));
            }
            return flags;
        }

        /** The words after the flags (shell form, no quoting). */
        List<String> words() {
            List<String> words = splitWords();
            int first = 0;
            while (first < words.size() && words.get(first).startsWith("--")) {
                first++;
            }
            return words.subList(first, words.size());
        }

        private List<String> splitWords() {
            return Arrays.stream(arguments.strip().split("\\s+")).filter(w -> !w.isEmpty()).toList();
        }
    }

    /** One stage: from its FROM to the next. */
    record Stage(Optional<String> name, String baseImage, List<Instruction> instructions) {

        List<Instruction> all(String keyword) {
            return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
        }

        Optional<Instruction> last(String keyword) {
            List<Instruction> all = all(keyword);
            return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
        }

        /** The working directory in effect at the end of the stage ({@code /} when never set). */
        String workdir() {
            return last("WORKDIR").map(i -> i.arguments().strip()).orElse("/");
        }

        /** Variables the stage's ENV lines set, in order. */
        Map<String, String> env() {
            Map<String, String> env = new LinkedHashMap<>();
            for (Instruction i : all("ENV")) {
                env.putAll(envPairs(i));
            }
            return env;
        }

        /** COPY lines, as (flags, sources, destination). */
        List<Copy> copies() {
            return all("COPY").stream().map(Copy::of).toList();
        }
    }

    /** A COPY: {@code from} is the stage it copies out of, empty for the build context. */
    record Copy(Instruction instruction, Optional<String> from, List<String> sources, String destination) {
        static Copy of(Instruction i) {
            List<String> words = i.words();
            if (words.size() < 2) {
                throw new AssertionError("line " + i.line() + ": COPY needs a source and a destination");
            }
            return new Copy(i, Optional.ofNullable(i.flags().get("from")), List.copyOf(words.subList(0, words.size() - 1)),
                    words.get(words.size() - 1));
        }

        /** Where source s lands in the image. */
        String target(String source, String workdir) {
            String dest = destination.startsWith("/") ? destination : workdir + "/" + destination;
            if (dest.endsWith("/")) {
                String name = source.endsWith("/") ? "" : source.substring(source.lastIndexOf('/') + 1);
                return normalize(dest + name);
            }
            return normalize(dest);
        }
    }

    static Dockerfile read(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Dockerfile parse(String text) {
        List<Instruction> instructions = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        StringBuilder pending = null;
        int startLine = 0;
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n].stripTrailing();
            // comment lines are dropped, also between continuation lines
            if (line.strip().startsWith("#")) {
                continue;
            }
            if (pending == null) {
                if (line.isBlank()) {
                    continue;
                }
                pending = new StringBuilder();
                startLine = n + 1;
            }
            boolean continues = line.endsWith("\\");
            pending.append(continues ? line.substring(0, line.length() - 1) : line);
            if (!continues) {
                instructions.add(instruction(startLine, pending.toString()));
                pending = null;
            }
        }
        if (pending != null) {
            throw new AssertionError("line " + startLine + ": the last instruction ends in a continuation");
        }
        return new Dockerfile(stages(instructions));
    }

    Stage stage(String name) {
        return stages.stream().filter(s -> s.name().equals(Optional.of(name))).findFirst()
                .orElseThrow(() -> new AssertionError("no build stage named " + name));
    }

    /** The stage the image is made of. */
    Stage finalStage() {
        return stages.get(stages.size() - 1);
    }

    private static Instruction instruction(int line, String text) {
        String stripped = text.strip();
        int space = stripped.indexOf(' ');
        String keyword = (space < 0 ? stripped : stripped.substring(0, space)).toUpperCase(Locale.ROOT);
        String arguments = space < 0 ? "" : stripped.substring(space + 1).strip();
        return new Instruction(line, keyword, arguments);
    }

    private static List<Stage> stages(List<Instruction> instructions) {
        List<Stage> stages = new ArrayList<>();
        Instruction from = null;
        List<Instruction> body = new ArrayList<>();
        for (Instruction i : instructions) {
            if (i.keyword().equals("FROM")) {
                if (from != null) {
                    stages.add(stage(from, body));
                }
                from = i;
                body = new ArrayList<>();
            } else if (from == null) {
                if (!i.keyword().equals("ARG")) {
                    throw new AssertionError("line " + i.line() + ": " + i.keyword() + " before the first FROM");
                }
            } else {
                body.add(i);
            }
        }
        if (from == null) {
            throw new AssertionError("no FROM");
        }
        stages.add(stage(from, body));
        return List.copyOf(stages);
    }

    private static Stage stage(Instruction from, List<Instruction> body) {
        List<String> words = from.words();
        Optional<String> name = words.size() >= 3 && words.get(1).equalsIgnoreCase("AS") ? Optional.of(words.get(2))
                : Optional.empty();
        return new Stage(name, words.get(0), List.copyOf(body));
    }

    /** {@code KEY=value KEY2="two words"} (the legacy {@code ENV KEY value} form too). */
    private static Map<String, String> envPairs(Instruction i) {
        Map<String, String> env = new LinkedHashMap<>();
        String args = i.arguments();
        if (!args.contains("=") || args.indexOf(' ') >= 0 && args.indexOf(' ') < args.indexOf('=')) {
            int space = args.indexOf(' ');
            env.put(args.substring(0, space), args.substring(space + 1).strip());
            return env;
        }
        int pos = 0;
        while (pos < args.length()) {
            while (pos < args.length() && Character.isWhitespace(args.charAt(pos))) {
                pos++;
            }
            if (pos >= args.length()) {
                break;
            }
            int eq = args.indexOf('=', pos);
            String key = args.substring(pos, eq);
            StringBuilder value = new StringBuilder();
            pos = eq + 1;
            boolean quoted = false;
            while (pos < args.length()) {
                char c = args.charAt(pos);
                if (c == '"') {
                    quoted = !quoted;
                } else if (c == '\\' && pos + 1 < args.length()) {
                    value.append(args.charAt(++pos));
                } else if (Character.isWhitespace(c) && !quoted) {
                    break;
                } else {
                    value.append(c);
                }
                pos++;
            }
            env.put(key, value.toString());
        }
        return env;
    }

    private static String normalize(String path) {
        return Path.of(path).normalize().toString();
    }
}
