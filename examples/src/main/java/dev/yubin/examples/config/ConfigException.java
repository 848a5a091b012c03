package dev.yubin.examples.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown when a configuration value is used that is missing or bad; carries the problems, each with its line.
 * Run {@link MainCf#check()} first to get every problem at once instead of the first one.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final List<ConfigProblem> problems;

    public ConfigException(List<ConfigProblem> problems) {
        super(problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
        if (this.problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
    }

    public ConfigException(ConfigProblem problem) {
        this(List.of(problem));
    }

    /** The problems, in line order. */
    public List<ConfigProblem> problems() {
        return problems;
    }
}
