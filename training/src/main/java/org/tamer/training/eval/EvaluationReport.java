package org.tamer.training.eval;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.util.List;
import java.util.Locale;

/**
 * Zero-shot results on a labelled set.
 *
 * @param classes      per class: code, AUC (NaN when the set has no positive or no negative), positives, and
 *                     whether it is in the fixed class set
 * @param macroAuc     mean AUC over the fixed class set
 * @param lower95      2.5th percentile of the bootstrap macro AUC (over the same class set)
 * @param upper95      97.5th percentile of the bootstrap macro AUC
 * @param examples     examples scored
 * @param bootstrap    bootstrap resamples
 * @param minPositives positives a class needed to enter the fixed class set
 * @param redrawn      resamples drawn again because a class of the set lacked a positive or a negative
 */
public record EvaluationReport(List<ClassResult> classes, double macroAuc, double lower95, double upper95,
                               int examples, int bootstrap, int minPositives, long redrawn) {

    /** One class's result; {@code included}: in the fixed class set of the macro AUC and its interval. */
    public record ClassResult(String code, double auc, int positives, boolean included) {

        public ClassResult(String code, double auc, int positives) {
            this(code, auc, positives, !Double.isNaN(auc));
        }
    }

    public EvaluationReport {
        classes = List.copyOf(classes);
    }

    public EvaluationReport(List<ClassResult> classes, double macroAuc, double lower95, double upper95, int examples,
                            int bootstrap) {
        this(classes, macroAuc, lower95, upper95, examples, bootstrap, 1, 0);
    }

    /** The codes of the fixed class set. */
    public List<String> includedClasses() {
        return classes.stream().filter(ClassResult::included).map(ClassResult::code).toList();
    }

    public String toJson() {
        JsonObject root = new JsonObject();
        root.addProperty("macroAuc", macroAuc);
        root.addProperty("macroAucLower95", lower95);
        root.addProperty("macroAucUpper95", upper95);
        root.addProperty("examples", examples);
        root.addProperty("bootstrapResamples", bootstrap);
        root.addProperty("minPositives", minPositives);
        root.addProperty("bootstrapRedrawn", redrawn);
        com.google.gson.JsonArray included = new com.google.gson.JsonArray();
        includedClasses().forEach(included::add);
        root.add("classSet", included);
        JsonObject perClass = new JsonObject();
        for (ClassResult c : classes) {
            JsonObject o = new JsonObject();
            if (!Double.isNaN(c.auc())) {
                o.addProperty("auc", c.auc());
            }
            o.addProperty("positives", c.positives());
            o.addProperty("included", c.included());
            perClass.add(c.code(), o);
        }
        root.add("classes", perClass);
        return new GsonBuilder().setPrettyPrinting().create().toJson(root) + "\n";
    }

    public String toMarkdown(String title) {
        StringBuilder md = new StringBuilder("# " + title + "\n\n");
        md.append(String.format(Locale.ROOT, "Macro AUC **%.4f** (95%% bootstrap interval %.4f–%.4f, %d resamples) "
                + "over %d examples, over the fixed set of %d classes with at least %d positive(s)%s.%n%n", macroAuc,
                lower95, upper95, bootstrap, examples, includedClasses().size(), minPositives,
                redrawn == 0 ? "" : String.format(Locale.ROOT, " (%d resamples drawn again)", redrawn)));
        md.append("| class | AUC | positives | in the class set |\n|---|---:|---:|---|\n");
        for (ClassResult c : classes) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %d | %s |%n", c.code(),
                    Double.isNaN(c.auc()) ? "n/a" : String.format(Locale.ROOT, "%.4f", c.auc()), c.positives(),
                    c.included() ? "yes" : "no"));
        }
        return md.toString();
    }
}
