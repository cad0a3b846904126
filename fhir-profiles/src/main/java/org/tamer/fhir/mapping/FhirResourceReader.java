package org.tamer.fhir.mapping;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.IParserErrorHandler;
import ca.uhn.fhir.parser.json.BaseJsonLikeValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Parses FHIR R4 JSON or XML strictly: an element R4 does not define (for example R5's
 * {@code SampledData.interval}) is an error naming the element, not silently dropped as HAPI's lenient default
 * would.
 */
public final class FhirResourceReader {

    private final FhirContext context;

    public FhirResourceReader(FhirContext context) {
        this.context = Objects.requireNonNull(context, "context");
    }

    /**
     * Parses a resource; the format is detected from the first non-blank character.
     *
     * @throws FhirMappingException naming the element when the content is not valid R4
     */
    public IBaseResource parse(String text) {
        // a UTF-8 byte order mark (allowed by RFC 8259 parsers to ignore) must not make JSON look like XML
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        String trimmed = body.stripLeading();
        boolean json = trimmed.startsWith("{");
        IParser parser = json ? context.newJsonParser() : context.newXmlParser();
        CollectingErrorHandler errors = new CollectingErrorHandler();
        parser.setParserErrorHandler(errors);
        IBaseResource resource;
        try {
            resource = parser.parseResource(body);
        } catch (DataFormatException e) {
            throw new FhirMappingException(json ? "JSON" : "XML", "not a FHIR R4 resource: " + e.getMessage());
        } catch (RuntimeException e) {
            // HAPI's parsers throw other unchecked exceptions on some malformed input (the long fuzz run found a
            // StringIndexOutOfBoundsException for an empty JSON property name); the input is at fault, not the server
            throw new FhirMappingException(json ? "JSON" : "XML", "not a FHIR R4 resource: the parser failed ("
                    + e.getClass().getSimpleName() + ")");
        }
        if (!errors.problems.isEmpty()) {
            throw new FhirMappingException(errors.paths.get(0), errors.problems.get(0));
        }
        return resource;
    }

    /** Collects the parser's complaints with their locations. */
    private static final class CollectingErrorHandler implements IParserErrorHandler {

        private final List<String> paths = new ArrayList<>();
        private final List<String> problems = new ArrayList<>();

        private void add(IParseLocation location, String element, String problem) {
            String parent = location == null || location.getParentElementName() == null ? ""
                    : location.getParentElementName() + ".";
            paths.add(parent + (element == null ? "" : element));
            problems.add(problem);
        }

        @Override
        public void unknownElement(IParseLocation location, String elementName) {
            boolean r5SampledData = "interval".equals(elementName) || "intervalUnit".equals(elementName);
            String hint = r5SampledData
                    ? " (this is R5 SampledData; R4 gives the sampling period in ms as 'period')" : "";
            boolean parentKnown = location != null && location.getParentElementName() != null;
            add(location, !parentKnown && r5SampledData ? "valueSampledData." + elementName : elementName,
                    "element '" + elementName + "' is not defined in FHIR R4" + hint);
        }

        @Override
        public void unknownAttribute(IParseLocation location, String attributeName) {
            add(location, attributeName, "attribute '" + attributeName + "' is not defined in FHIR R4");
        }

        @Override
        public void unknownReference(IParseLocation location, String reference) {
            // references to resources outside the message are normal
        }

        @Override
        public void incorrectJsonType(IParseLocation location, String elementName,
                                      BaseJsonLikeValue.ValueType expected, BaseJsonLikeValue.ScalarType expectedScalar,
                                      BaseJsonLikeValue.ValueType found, BaseJsonLikeValue.ScalarType foundScalar) {
            add(location, elementName, "expected " + expected + " but found " + found);
        }

        @Override
        public void invalidInternalReference(IParseLocation location, String reference) {
            add(location, "reference", "internal reference '" + reference + "' points to nothing in the resource");
        }

        @Override
        public void unexpectedRepeatingElement(IParseLocation location, String elementName) {
            add(location, elementName, "element '" + elementName + "' repeats but may occur only once");
        }

        @Override
        public void containedResourceWithNoId(IParseLocation location) {
            add(location, "contained", "contained resource has no id");
        }

        @Override
        public void missingRequiredElement(IParseLocation location, String elementName) {
            add(location, elementName, "required element '" + elementName + "' is missing");
        }

        @Override
        public void invalidValue(IParseLocation location, String value, String error) {
            add(location, "value", "invalid value '" + value + "': " + error);
        }

        @Override
        public void extensionContainsValueAndNestedExtensions(IParseLocation location) {
            add(location, "extension", "an extension has both a value and nested extensions");
        }
    }
}
