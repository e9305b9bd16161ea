package moonshot.lab.kvm;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A {@code qemu-img} subcommand's command line, read the getopt way ({@code -O qcow2} or {@code -Oqcow2}). */
final class QemuImgArgs {
    final List<String> files = new ArrayList<>();
    private final Set<String> flags = new HashSet<>();
    private final Map<String, String> values = new HashMap<>();
    private String error;

    private QemuImgArgs() {
    }

    /**
     * @param shortFlags  single-letter options without a value
     * @param shortValues single-letter options taking one
     * @param longFlags   {@code --name} options (a {@code --name=value} one keeps its value)
     */
    static QemuImgArgs parse(List<String> args, String shortFlags, String shortValues, Set<String> longFlags) {
        QemuImgArgs a = new QemuImgArgs();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.startsWith("--") && arg.length() > 2) {
                String name = arg.substring(2);
                int eq = name.indexOf('=');
                String key = eq < 0 ? name : name.substring(0, eq);
                if (!longFlags.contains(key)) {
                    a.error = "unrecognized option '" + arg + "'";
                    return a;
                }
                a.flags.add(key);
                if (eq >= 0) {
                    a.values.put(key, name.substring(eq + 1));
                }
            } else if (arg.startsWith("-") && arg.length() > 1) {
                for (int c = 1; c < arg.length(); c++) {
                    char letter = arg.charAt(c);
                    if (shortFlags.indexOf(letter) >= 0) {
                        a.flags.add(String.valueOf(letter));
                    } else if (shortValues.indexOf(letter) >= 0) {
                        String value = arg.substring(c + 1);
                        if (value.isEmpty()) {
                            if (i + 1 >= args.size()) {
                                a.error = "option requires an argument -- '" + letter + "'";
                                return a;
                            }
                            value = args.get(++i);
                        }
                        a.values.put(String.valueOf(letter), value);
                        break;
                    } else {
                        a.error = "invalid option -- '" + letter + "'";
                        return a;
                    }
                }
            } else {
                a.files.add(arg);
            }
        }
        return a;
    }

    Optional<String> error() {
        return Optional.ofNullable(error);
    }

    boolean has(String flag) {
        return flags.contains(flag);
    }

    Optional<String> value(String option) {
        return Optional.ofNullable(values.get(option));
    }
}
