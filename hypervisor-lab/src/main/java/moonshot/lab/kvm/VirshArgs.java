package moonshot.lab.kvm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One virsh command's options as virsh's own parser reads them: {@code --flag}, {@code --name value} or
 * {@code --name=value}, and bare words filling the command's positional options in order.
 */
final class VirshArgs {
    private final List<String> positional = new ArrayList<>();
    private final Map<String, List<String>> values = new LinkedHashMap<>();
    private final java.util.Set<String> flags = new java.util.HashSet<>();
    private String error;

    private VirshArgs() {
    }

    /**
     * @param positionalOrder the options bare words fill, in order, skipping those given by name; words left over go
     *                        to {@code argv} (when not null) or are an error
     */
    static VirshArgs parse(String command, List<String> args, Set<String> flagNames, Set<String> valueNames,
                           List<String> positionalOrder, String argv) {
        VirshArgs a = scan(command, args, flagNames, valueNames);
        if (a.error != null) {
            return a;
        }
        List<String> words = new ArrayList<>(a.positional);
        for (String option : positionalOrder) {
            if (words.isEmpty()) {
                break;
            }
            if (!a.values.containsKey(option)) {
                a.values.put(option, new ArrayList<>(List.of(words.remove(0))));
            }
        }
        if (!words.isEmpty()) {
            if (argv == null) {
                a.error = "unexpected data '" + words.get(0) + "'";
            } else {
                a.values.computeIfAbsent(argv, k -> new ArrayList<>()).addAll(words);
            }
        }
        return a;
    }

    private static VirshArgs scan(String command, List<String> args, Set<String> flagNames, Set<String> valueNames) {
        VirshArgs a = new VirshArgs();
        boolean optionsEnded = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (optionsEnded || !arg.startsWith("--") || arg.length() == 2) {
                if (arg.equals("--") && !optionsEnded) {
                    optionsEnded = true;
                } else {
                    a.positional.add(arg);
                }
                continue;
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq > 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (flagNames.contains(name) && value == null) {
                a.flags.add(name);
            } else if (valueNames.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.size()) {
                        a.error = "expected syntax: --" + name + " <string>";
                        return a;
                    }
                    value = args.get(++i);
                }
                a.values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            } else {
                a.error = "command '" + command + "' doesn't support option --" + name;
                return a;
            }
        }
        return a;
    }

    /** virsh's complaint about the command line, if any (without the {@code error: } prefix). */
    Optional<String> error() {
        return Optional.ofNullable(error);
    }

    boolean has(String flag) {
        return flags.contains(flag);
    }

    Optional<String> value(String name) {
        List<String> v = values.get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }

    List<String> values(String name) {
        return values.getOrDefault(name, List.of());
    }
}
