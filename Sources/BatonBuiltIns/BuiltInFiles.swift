/// The demos and themes compiled into Baton, so one copied binary has them from any folder.
///
/// SwiftPM embeds each `.yaml` of the repository's `demo/` and `themes/` (reached through
/// this target's `demo` and `themes` links) as a `PackageResources` byte array when it builds
/// (`resources: [.embedInCode(…)]` in Package.swift); the files stay the one source. The
/// generated code has one member per file and no list of them, so the lists below name each
/// one; `BuiltInFilesTests` fails when a file of `demo/` or `themes/` is missing from them
/// or differs from what was embedded.
package enum BuiltInFiles {
    /// The teaching demos of `demo/*.yaml` (not `demo/fleet/`, which runs on real hosts).
    package static let demos: [BuiltInFile] = [
        demo("ci-cd-pipeline", PackageResources.ci_cd_pipeline_yaml),
        demo("data-pipeline", PackageResources.data_pipeline_yaml),
        demo("fleet-rollout", PackageResources.fleet_rollout_yaml),
        demo("incident-self-healing", PackageResources.incident_self_healing_yaml),
        demo("infrastructure-provisioning", PackageResources.infrastructure_provisioning_yaml),
        demo("rolling-deploy", PackageResources.rolling_deploy_yaml),
        demo("three-tier-deploy", PackageResources.three_tier_deploy_yaml),
    ]

    /// The console themes of `themes/*.yaml`.
    package static let themes: [BuiltInFile] = [
        theme("dark", PackageResources.dark_yaml),
        theme("high-contrast", PackageResources.high_contrast_yaml),
        theme("light", PackageResources.light_yaml),
        theme("mono", PackageResources.mono_yaml),
    ]

    private static func demo(_ name: String, _ bytes: [UInt8]) -> BuiltInFile {
        BuiltInFile(name: name, bytes: bytes, folder: "demo")
    }

    private static func theme(_ name: String, _ bytes: [UInt8]) -> BuiltInFile {
        BuiltInFile(name: name, bytes: bytes, folder: "themes")
    }
}
