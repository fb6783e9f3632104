package sn37.miner.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering DESIGN.md promises: Camel stays in pipeline, domain packages stand alone, the shared utilities
 * ({@code util}: JSON, quoting, secrets, sleeping) stand below everything, and no package cycles.
 */
class LayeringTest {
    private static final String[] RUNNER_SIDE = {"sn37.miner.stage..", "sn37.miner.run..", "sn37.miner.pipeline..",
        "sn37.miner.cli.."};
    private static JavaClasses classes;

    @BeforeAll
    static void importMain() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("sn37.miner");
    }

    @Test
    void onlyThePipelineImportsCamel() {
        noClasses().that().resideOutsideOfPackage("sn37.miner.pipeline..")
                .should().dependOnClassesThat().resideInAPackage("org.apache.camel..")
                .check(classes);
    }

    @Test
    void domainPackagesDoNotReachTheRunnerSide() {
        noClasses().that().resideOutsideOfPackages(RUNNER_SIDE).and().resideOutsideOfPackage("sn37.miner")
                .should().dependOnClassesThat().resideInAnyPackage(RUNNER_SIDE)
                .check(classes);
    }

    @Test
    void theSharedUtilitiesDependOnNoOtherPackageOfTheMiner() {
        classes().that().resideInAPackage("sn37.miner.util..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("sn37.miner.util..", "java..",
                        "com.fasterxml.jackson..")
                .check(classes);
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching("sn37.miner.(*)..").should().beFreeOfCycles().check(classes);
    }
}
