package org.tamer.training.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A command's options as JSON, so a run can be continued with only its folder: {@link #capture} writes each
 * option's value, {@link #restore} sets the options not given on this command line from the recorded values and
 * refuses a given option whose value differs from the recorded one (naming both).
 */
final class RunOptions {

    private RunOptions() {
    }

    static JsonObject capture(CommandSpec spec, Set<String> perCall) {
        JsonObject json = new JsonObject();
        for (OptionSpec option : spec.options()) {
            if (option.usageHelp() || option.versionHelp() || perCall.contains(option.longestName())) {
                continue;
            }
            Object value = option.getValue();
            if (value != null) {
                json.add(option.longestName(), toJson(value));
            }
        }
        return json;
    }

    /**
     * @param changeable options that may be given again with another value (the new value is kept, said on
     *                   {@code notices} and recorded by the next {@link #capture})
     */
    static void restore(CommandSpec spec, JsonObject stored, Set<String> perCall, Set<String> changeable,
                        java.io.PrintStream notices) {
        CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
        for (OptionSpec option : spec.options()) {
            String name = option.longestName();
            if (option.usageHelp() || option.versionHelp() || perCall.contains(name) || !stored.has(name)) {
                continue;
            }
            Object recorded = fromJson(stored.get(name), option.type());
            if (parsed.hasMatchedOption(option)) {
                Object given = option.getValue();
                Object comparable = given instanceof Path p ? p.toAbsolutePath().normalize() : given;
                if (!Objects.equals(comparable, recorded) && changeable.contains(name)) {
                    notices.println(spec.name() + ": " + name + " " + given + " instead of the run's recorded "
                            + recorded);
                } else if (!Objects.equals(comparable, recorded)) {
                    throw new CommandLine.ParameterException(spec.commandLine(), name + " " + given
                            + " differs from the run's recorded " + name + " " + recorded
                            + "; --resume continues the run as it was started (leave the option out)");
                }
            } else {
                option.setValue(recorded);
            }
        }
    }

    private static JsonElement toJson(Object value) {
        if (value instanceof Number n) {
            return new JsonPrimitive(n);
        }
        if (value instanceof Boolean b) {
            return new JsonPrimitive(b);
        }
        if (value instanceof Path p) {
            return new JsonPrimitive(p.toAbsolutePath().normalize().toString());
        }
        if (value instanceof Enum<?> e) {
            return new JsonPrimitive(e.name());
        }
        return new JsonPrimitive(value.toString());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object fromJson(JsonElement json, Class<?> type) {
        if (type == int.class || type == Integer.class) {
            return json.getAsInt();
        }
        if (type == long.class || type == Long.class) {
            return json.getAsLong();
        }
        if (type == float.class || type == Float.class) {
            return json.getAsFloat();
        }
        if (type == double.class || type == Double.class) {
            return json.getAsDouble();
        }
        if (type == boolean.class || type == Boolean.class) {
            return json.getAsBoolean();
        }
        if (type == Path.class) {
            return Path.of(json.getAsString());
        }
        if (type.isEnum()) {
            return Enum.valueOf((Class<? extends Enum>) type, json.getAsString());
        }
        return json.getAsString();
    }
}
