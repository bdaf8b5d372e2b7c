import ArgumentParser
import BatonEngine
import Foundation

/// `baton schema`: prints the JSON Schema of the workflow format, for editors.
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the JSON Schema (draft 2020-12) of the workflow format, for editors.",
        discussion: """
            The schema names every key of a workflow file with its type, allowed values and meaning, \
            so an editor with a YAML language server completes and checks workflow files. Write it \
            to a file:

              baton schema > ~/.config/baton/workflow.schema.json

            Then start each workflow file with this modeline (the path absolute, or relative to the file):

              # yaml-language-server: $schema=/home/you/.config/baton/workflow.schema.json

            or map the schema to your workflow files in the editor's yaml.schemas setting (see Editors \
            in docs/workflow-format.md). The schema checks the shape of a file; `baton validate` also \
            checks what it refers to (needs, hosts, conditions, cycles).
            """
    )

    func run() throws {
        Console.write(try WorkflowSchema.text(), to: STDOUT_FILENO)
    }
}
