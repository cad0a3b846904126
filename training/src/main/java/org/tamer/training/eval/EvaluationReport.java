package org.tamer.training.eval;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.util.List;
import java.util.Locale;

/**
 * Zero-shot results on a labelled set.
 *
 * @param classes    per class: code, AUC (NaN when the set has no positive or no negative) and positives
 * @param macroAuc   mean AUC over classes with a defined AUC
 * @param lower95    2.5th percentile of the bootstrap macro AUC
 * @param upper95    97.5th percentile of the bootstrap macro AUC
 * @param examples   examples scored
 * @param bootstrap  bootstrap resamples
 */
public record EvaluationReport(List<ClassResult> classes, double macroAuc, double lower95, double upper95,
                               int examples, int bootstrap) {

    /** One class's result. */
    public record ClassResult(String code, double auc, int positives) {
    }

    public EvaluationReport {
        classes = List.copyOf(classes);
    }

    public String toJson() {
        JsonObject root = new JsonObject();
        root.addProperty("macroAuc", macroAuc);
        root.addProperty("macroAucLower95", lower95);
        root.addProperty("macroAucUpper95", upper95);
        root.addProperty("examples", examples);
        root.addProperty("bootstrapResamples", bootstrap);
        JsonObject perClass = new JsonObject();
        for (ClassResult c : classes) {
            JsonObject o = new JsonObject();
            if (!Double.isNaN(c.auc())) {
                o.addProperty("auc", c.auc());
            }
            o.addProperty("positives", c.positives());
            perClass.add(c.code(), o);
        }
        root.add("classes", perClass);
        return new GsonBuilder().setPrettyPrinting().create().toJson(root) + "\n";
    }

    public String toMarkdown(String title) {
        StringBuilder md = new StringBuilder("# " + title + "\n\n");
        md.append(String.format(Locale.ROOT, "Macro AUC **%.4f** (95%% bootstrap interval %.4f–%.4f, %d resamples) "
                + "over %d examples.%n%n", macroAuc, lower95, upper95, bootstrap, examples));
        md.append("| class | AUC | positives |\n|---|---:|---:|\n");
        for (ClassResult c : classes) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %d |%n", c.code(),
                    Double.isNaN(c.auc()) ? "n/a" : String.format(Locale.ROOT, "%.4f", c.auc()), c.positives()));
        }
        return md.toString();
    }
}
