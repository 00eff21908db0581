import Foundation
import TRMData
import Testing

@testable import TRMExperiment

/// `dataset.augmentation` switches reach the builders, and switches that cannot act on a kind
/// are refused with their JSON path.
@Suite struct AugmentationConfigTests {
    /// A config of `kind` with the given `augmentation` keys; sudoku is small 4×4 so it builds at once.
    func dataset(_ kind: String, _ augmentation: String) -> String {
        let source =
            switch kind {
            case "arc": #""source": "arc-json", "path": "/""#
            case "sudoku": #""source": "generate", "sudoku_size": "4", "train_count": 8, "test_count": 2"#
            default: #""source": "generate""#
            }
        return #"{"name": "t", "dataset": {"kind": "\#(kind)", \#(source), "augmentation": {\#(augmentation)}}}"#
    }

    @Test func switchesReachTheRecipes() throws {
        let arcDefault = try DatasetPreparation.recipe(for: try resolve(dataset("arc", #""num_aug": 2"#)).config.dataset, seed: 1)
        #expect(arcDefault.arc == ARCBuildOptions(testSetNames: ["evaluation"], numAug: 2))
        #expect(arcDefault.arc.translate && arcDefault.arc.dihedral && arcDefault.arc.permuteColours)
        let arcOff = try resolve(dataset("arc", #""num_aug": 2, "translate": false, "permute": false"#)).config.dataset
        let arc = try DatasetPreparation.recipe(for: arcOff, seed: 1).arc
        #expect(!arc.translate && !arc.permuteColours && arc.dihedral)

        let sudoku = try resolve(dataset("sudoku", #""num_aug": 3, "dihedral": false"#)).config.dataset
        let options = try DatasetPreparation.recipe(for: sudoku, seed: 1).sudoku
        #expect(options.numAug == 3 && options.permuteDigits && !options.shuffleGrid)
        let online = try resolve(dataset("sudoku", #""online": true, "permute": false"#)).config.dataset
        let split = try DatasetPreparation.recipe(for: online, seed: 1).build().dataset.train
        #expect(DatasetPreparation.onlineAugmentation(for: online, split: split) == .sudoku(.four, permuteDigits: false, shuffleGrid: true))
    }

    /// translate's default depends on the kind: false for sudoku and maze, as every config resolved
    /// before it had a kind-dependent default, so their canonical JSON and hash stay the same; true for arc.
    @Test func translateDefaultFollowsTheKind() throws {
        let sudoku = try resolve(dataset("sudoku", ""))
        #expect(sudoku.json[path: "dataset.augmentation.translate"] == .bool(false))
        #expect(sudoku.canonicalJSON.contains(#""dihedral":true,"num_aug":0,"online":false,"permute":true,"translate":false"#))
        #expect(try resolve(dataset("maze", "")).config.dataset.augmentation.translate == false)
        #expect(try resolve(dataset("arc", "")).config.dataset.augmentation.translate == true)
        // An explicit false, as stored with every earlier sudoku and maze run, is still accepted.
        #expect(try resolve(dataset("maze", #""translate": false"#)).hash == resolve(dataset("maze", "")).hash)
    }

    @Test func switchesThatCannotActAreRefused() {
        let translate = issues(dataset("sudoku", #""translate": true"#))?.issue(at: "dataset.augmentation.translate")
        #expect(translate?.kind == .notApplicable)
        #expect(translate?.message.contains("dataset.kind is \"arc\"") == true)
        #expect(issues(dataset("maze", #""translate": true"#))?.issue(at: "dataset.augmentation.translate")?.kind == .notApplicable)
        let permute = issues(dataset("maze", #""permute": false"#))?.issue(at: "dataset.augmentation.permute")
        #expect(permute?.kind == .notApplicable && permute?.message.contains("no digits or colours") == true)
        for kind in ["sudoku", "arc"] {
            let copies = issues(dataset(kind, #""num_aug": 4, "dihedral": false, "permute": false"#))?.issue(at: "dataset.augmentation.num_aug")
            #expect(copies?.kind == .inconsistent && copies?.message.contains("every copy would equal the original") == true)
        }
        #expect(issues(dataset("maze", #""num_aug": 8, "dihedral": false"#))?.issue(at: "dataset.augmentation.num_aug")?.kind == .inconsistent)
        #expect(issues(dataset("maze", #""online": true, "dihedral": false"#))?.issue(at: "dataset.augmentation.online")?.kind == .inconsistent)
        #expect(
            issues(dataset("sudoku", #""online": true, "dihedral": false, "permute": false"#))?.issue(at: "dataset.augmentation.online")?.kind
                == .inconsistent)
        // One switch on is enough, and no copies need none.
        #expect(issues(dataset("sudoku", #""num_aug": 4, "dihedral": false"#)) == nil)
        #expect(issues(dataset("arc", #""num_aug": 0, "dihedral": false, "permute": false, "translate": false"#)) == nil)
    }
}
