// A modular application as the README describes it: it names the library's modules and nothing else of theirs.
module demo.app {
    requires dev.extractor.openai;   // reads dev.extractor, Jackson databind, Jakarta Validation and OkHttp through it
    requires dev.extractor.testing;  // the simulated model

    // element types are bound, validated and introspected reflectively
    opens demo.app.model to tools.jackson.databind, org.hibernate.validator;
}
