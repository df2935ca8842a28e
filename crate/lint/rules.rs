//! The build-check rules as data, BuildKit's `linter/ruleset.go`: each rule is a value
//! with its name, description, documentation URL and message formatter, worded exactly
//! as BuildKit words them (Dockerfile frontend 1.2x, `moby/buildkit` master of 2026-08).
//!
//! ```
//! use dfplay::lint::rules;
//! assert_eq!((rules::STAGE_NAME_CASING.format)("Build"), "Stage name 'Build' should be lowercase");
//! assert_eq!(rules::STAGE_NAME_CASING.info.url, Some("https://docs.docker.com/go/dockerfile/rule/stage-name-casing/"));
//! assert!(rules::by_name("UndefinedVar").is_some());
//! ```

use crate::syntax::go_quote;
use serde::Serialize;

/// What every rule has besides its message formatter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct RuleInfo {
    /// BuildKit's rule name, as `# check=skip=` names it: `StageNameCasing`.
    pub name: &'static str,
    /// BuildKit's one-line description.
    pub description: &'static str,
    /// `https://docs.docker.com/go/dockerfile/rule/<kebab-name>/` (BuildKit gives
    /// `InvalidBaseImagePlatform` none).
    pub url: Option<&'static str>,
    /// Runs only when enabled with `# check=experimental=<name|all>`.
    pub experimental: bool,
}

/// A rule: its [`RuleInfo`] and the function that words its message (`F` takes the
/// rule's own arguments, as BuildKit's generic `LinterRule[F]`).
#[derive(Clone, Copy, Debug)]
pub struct Rule<F> {
    /// Name, description, URL.
    pub info: RuleInfo,
    /// Words the message (BuildKit's `Format`).
    pub format: F,
}

const fn info(name: &'static str, description: &'static str, url: &'static str) -> RuleInfo {
    RuleInfo { name, description, url: Some(url), experimental: false }
}

/// `FROM x AS Build`: stage names should be lowercase.
pub const STAGE_NAME_CASING: Rule<fn(&str) -> String> = Rule {
    info: info(
        "StageNameCasing",
        "Stage names should be lowercase",
        "https://docs.docker.com/go/dockerfile/rule/stage-name-casing/",
    ),
    format: |stage| format!("Stage name '{stage}' should be lowercase"),
};

/// `FROM x as y`: the `AS` keyword's case differs from `FROM`'s. Arguments: the FROM
/// keyword, the AS keyword, as written.
pub const FROM_AS_CASING: Rule<fn(&str, &str) -> String> = Rule {
    info: info(
        "FromAsCasing",
        "The 'as' keyword should match the case of the 'from' keyword",
        "https://docs.docker.com/go/dockerfile/rule/from-as-casing/",
    ),
    format: |from, as_| format!("'{as_}' and '{from}' keywords' casing do not match"),
};

/// A blank line inside a line continuation.
pub const NO_EMPTY_CONTINUATION: Rule<fn() -> String> = Rule {
    info: info(
        "NoEmptyContinuation",
        "Empty continuation lines will become errors in a future release",
        "https://docs.docker.com/go/dockerfile/rule/no-empty-continuation/",
    ),
    format: || "Empty continuation line".to_owned(),
};

/// An instruction cased unlike the majority (`Run`, or `run` among `RUN`s). Arguments:
/// the instruction as written, `lowercase` or `uppercase`.
pub const CONSISTENT_INSTRUCTION_CASING: Rule<fn(&str, &str) -> String> = Rule {
    info: info(
        "ConsistentInstructionCasing",
        "All commands within the Dockerfile should use the same casing (either upper or lower)",
        "https://docs.docker.com/go/dockerfile/rule/consistent-instruction-casing/",
    ),
    format: |command, casing| format!("Command '{command}' should match the case of the command majority ({casing})"),
};

/// Two stages with one name.
pub const DUPLICATE_STAGE_NAME: Rule<fn(&str) -> String> = Rule {
    info: info(
        "DuplicateStageName",
        "Stage names should be unique",
        "https://docs.docker.com/go/dockerfile/rule/duplicate-stage-name/",
    ),
    format: |stage| format!("Duplicate stage name {}, stage names should be unique", go_quote(stage)),
};

/// A stage named `scratch` or `context`.
pub const RESERVED_STAGE_NAME: Rule<fn(&str) -> String> = Rule {
    info: info(
        "ReservedStageName",
        "Reserved words should not be used as stage names",
        "https://docs.docker.com/go/dockerfile/rule/reserved-stage-name/",
    ),
    format: |stage| format!("Stage name should not use the same name as reserved stage {}", go_quote(stage)),
};

/// CMD or ENTRYPOINT in shell form (and no SHELL set). Argument: the instruction as
/// written.
pub const JSON_ARGS_RECOMMENDED: Rule<fn(&str) -> String> = Rule {
    info: info(
        "JSONArgsRecommended",
        "JSON arguments recommended for ENTRYPOINT/CMD to prevent unintended behavior related to OS signals",
        "https://docs.docker.com/go/dockerfile/rule/json-args-recommended/",
    ),
    format: |instruction| {
        format!("JSON arguments recommended for {instruction} to prevent unintended behavior related to OS signals")
    },
};

/// The MAINTAINER instruction.
pub const MAINTAINER_DEPRECATED: Rule<fn() -> String> = Rule {
    info: info(
        "MaintainerDeprecated",
        "The MAINTAINER instruction is deprecated, use a label instead to define an image author",
        "https://docs.docker.com/go/dockerfile/rule/maintainer-deprecated/",
    ),
    format: || "Maintainer instruction is deprecated in favor of using label".to_owned(),
};

/// A FROM (image or `--platform`) uses a variable no global ARG declares. Arguments:
/// the name, a suggestion (or `""`).
pub const UNDEFINED_ARG_IN_FROM: Rule<fn(&str, &str) -> String> = Rule {
    info: info(
        "UndefinedArgInFrom",
        "FROM command must use declared ARGs",
        "https://docs.docker.com/go/dockerfile/rule/undefined-arg-in-from/",
    ),
    format: |arg, suggest| {
        let mut out = format!("FROM argument '{arg}' is not declared");
        if !suggest.is_empty() {
            out.push_str(&format!(" (did you mean {suggest}?)"));
        }
        out
    },
};

/// The first WORKDIR of a stage is relative.
pub const WORKDIR_RELATIVE_PATH: Rule<fn(&str) -> String> = Rule {
    info: info(
        "WorkdirRelativePath",
        "Relative workdir without an absolute workdir declared within the build can have unexpected results if the base image changes",
        "https://docs.docker.com/go/dockerfile/rule/workdir-relative-path/",
    ),
    format: |workdir| format!("Relative workdir {} can have unexpected results if the base image changes", go_quote(workdir)),
};

/// A variable used before it is defined. Arguments: the name, a suggestion (or `""`).
pub const UNDEFINED_VAR: Rule<fn(&str, &str) -> String> = Rule {
    info: info(
        "UndefinedVar",
        "Variables should be defined before their use",
        "https://docs.docker.com/go/dockerfile/rule/undefined-var/",
    ),
    format: |arg, suggest| {
        let mut out = format!("Usage of undefined variable '${arg}'");
        if !suggest.is_empty() {
            out.push_str(&format!(" (did you mean ${suggest}?)"));
        }
        out
    },
};

/// A second CMD, ENTRYPOINT or HEALTHCHECK in one stage (reported on the first).
pub const MULTIPLE_INSTRUCTIONS_DISALLOWED: Rule<fn(&str) -> String> = Rule {
    info: info(
        "MultipleInstructionsDisallowed",
        "Multiple instructions of the same type should not be used in the same stage",
        "https://docs.docker.com/go/dockerfile/rule/multiple-instructions-disallowed/",
    ),
    format: |instruction| {
        format!("Multiple {instruction} instructions should not be used in the same stage because only the last one will be used")
    },
};

/// `ENV key value` / `LABEL key value` without `=`.
pub const LEGACY_KEY_VALUE_FORMAT: Rule<fn(&str) -> String> = Rule {
    info: info(
        "LegacyKeyValueFormat",
        "Legacy key/value format with whitespace separator should not be used",
        "https://docs.docker.com/go/dockerfile/rule/legacy-key-value-format/",
    ),
    format: |command| format!("\"{command} key=value\" should be used instead of legacy \"{command} key value\" format"),
};

/// The base image's platform differs from the target platform. Arguments: image,
/// expected, actual. Needs the pulled image's platform: dfplay never reports it.
pub const INVALID_BASE_IMAGE_PLATFORM: Rule<fn(&str, &str, &str) -> String> = Rule {
    info: RuleInfo {
        name: "InvalidBaseImagePlatform",
        description: "Base image platform does not match expected target platform",
        url: None,
        experimental: false,
    },
    format: |image, expected, actual| {
        format!("Base image {image} was pulled with platform {}, expected {} for current build", go_quote(actual), go_quote(expected))
    },
};

/// `FROM --platform=$TARGETPLATFORM`. Argument: the flag's value as written.
pub const REDUNDANT_TARGET_PLATFORM: Rule<fn(&str) -> String> = Rule {
    info: info(
        "RedundantTargetPlatform",
        "Setting platform to predefined $TARGETPLATFORM in FROM is redundant as this is the default behavior",
        "https://docs.docker.com/go/dockerfile/rule/redundant-target-platform/",
    ),
    format: |platform| format!("Setting platform to predefined {platform} in FROM is redundant as this is the default behavior"),
};

/// An ARG or ENV whose name looks like a secret. Arguments: `ARG` or `ENV`, the name.
pub const SECRETS_USED_IN_ARG_OR_ENV: Rule<fn(&str, &str) -> String> = Rule {
    info: info(
        "SecretsUsedInArgOrEnv",
        "Sensitive data should not be used in the ARG or ENV commands",
        "https://docs.docker.com/go/dockerfile/rule/secrets-used-in-arg-or-env/",
    ),
    format: |instruction, key| format!("Do not use ARG or ENV instructions for sensitive data ({instruction} {})", go_quote(key)),
};

/// A FROM whose image, with the global ARGs' defaults, is empty or invalid. Argument:
/// the image as written.
pub const INVALID_DEFAULT_ARG_IN_FROM: Rule<fn(&str) -> String> = Rule {
    info: info(
        "InvalidDefaultArgInFrom",
        "Default value for global ARG results in an empty or invalid base image name",
        "https://docs.docker.com/go/dockerfile/rule/invalid-default-arg-in-from/",
    ),
    format: |base| format!("Default value for ARG {base} results in empty or invalid base image name"),
};

/// `FROM --platform=linux/amd64` with a constant. Argument: the platform.
pub const FROM_PLATFORM_FLAG_CONST_DISALLOWED: Rule<fn(&str) -> String> = Rule {
    info: info(
        "FromPlatformFlagConstDisallowed",
        "FROM --platform flag should not use a constant value",
        "https://docs.docker.com/go/dockerfile/rule/from-platform-flag-const-disallowed/",
    ),
    format: |platform| format!("FROM --platform flag should not use constant value {}", go_quote(platform)),
};

/// COPY/ADD of a path the `.dockerignore` excludes. Arguments: `Copy` or `Add`, the path.
pub const COPY_IGNORED_FILE: Rule<fn(&str, &str) -> String> = Rule {
    info: info(
        "CopyIgnoredFile",
        "Attempting to Copy file that is excluded by .dockerignore",
        "https://docs.docker.com/go/dockerfile/rule/copy-ignored-file/",
    ),
    format: |command, file| format!("Attempting to {command} file {} that is excluded by .dockerignore", go_quote(file)),
};

/// A comment above `FROM … AS name` or `ARG name` that does not start with the name
/// (experimental). Arguments: `FROM` or `ARG`, the name (or `<arg_key>`).
pub const INVALID_DEFINITION_DESCRIPTION: Rule<fn(&str, &str) -> String> = Rule {
    info: RuleInfo {
        name: "InvalidDefinitionDescription",
        description: "Comment for build stage or argument should follow the format: `# <arg/stage name> <description>`. If this is not intended to be a description comment, add an empty line or comment between the instruction and the comment.",
        url: Some("https://docs.docker.com/go/dockerfile/rule/invalid-definition-description/"),
        experimental: true,
    },
    format: |instruction, name| format!("Comment for {instruction} should follow the format: `# {name} <description>`"),
};

/// `EXPOSE 80/TCP`. Argument: the port as written (after expansion).
pub const EXPOSE_PROTO_CASING: Rule<fn(&str) -> String> = Rule {
    info: info(
        "ExposeProtoCasing",
        "Protocol in EXPOSE instruction should be lowercase",
        "https://docs.docker.com/go/dockerfile/rule/expose-proto-casing/",
    ),
    format: |port| format!("Defined protocol '{port}' in EXPOSE instruction should be lowercase"),
};

/// `EXPOSE 127.0.0.1:80:80` or `EXPOSE 8080:80`. Argument: the port spec.
pub const EXPOSE_INVALID_FORMAT: Rule<fn(&str) -> String> = Rule {
    info: info(
        "ExposeInvalidFormat",
        "IP address and host-port mapping should not be used in EXPOSE instruction. This will become an error in a future release",
        "https://docs.docker.com/go/dockerfile/rule/expose-invalid-format/",
    ),
    format: |port| format!("EXPOSE instruction should not define an IP address or host-port mapping, found '{port}'"),
};

/// Every rule, in BuildKit's ruleset order.
pub const ALL: [RuleInfo; 22] = [
    STAGE_NAME_CASING.info,
    FROM_AS_CASING.info,
    NO_EMPTY_CONTINUATION.info,
    CONSISTENT_INSTRUCTION_CASING.info,
    DUPLICATE_STAGE_NAME.info,
    RESERVED_STAGE_NAME.info,
    JSON_ARGS_RECOMMENDED.info,
    MAINTAINER_DEPRECATED.info,
    UNDEFINED_ARG_IN_FROM.info,
    WORKDIR_RELATIVE_PATH.info,
    UNDEFINED_VAR.info,
    MULTIPLE_INSTRUCTIONS_DISALLOWED.info,
    LEGACY_KEY_VALUE_FORMAT.info,
    INVALID_BASE_IMAGE_PLATFORM.info,
    REDUNDANT_TARGET_PLATFORM.info,
    SECRETS_USED_IN_ARG_OR_ENV.info,
    INVALID_DEFAULT_ARG_IN_FROM.info,
    FROM_PLATFORM_FLAG_CONST_DISALLOWED.info,
    COPY_IGNORED_FILE.info,
    INVALID_DEFINITION_DESCRIPTION.info,
    EXPOSE_PROTO_CASING.info,
    EXPOSE_INVALID_FORMAT.info,
];

/// Rules dfplay cannot check, and why.
pub const NOT_CHECKED: [(&str, &str); 1] =
    [("InvalidBaseImagePlatform", "needs the platform of the pulled base image; stand-in images have none to compare")];

/// The rule named `name` (exact, case-sensitive, as BuildKit compares).
pub fn by_name(name: &str) -> Option<&'static RuleInfo> {
    ALL.iter().find(|r| r.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `StageNameCasing` → `stage-name-casing`.
    fn kebab(name: &str) -> String {
        let mut out = String::new();
        let chars: Vec<char> = name.chars().collect();
        for (i, &c) in chars.iter().enumerate() {
            if c.is_ascii_uppercase() {
                let prev_lower = i > 0 && !chars[i - 1].is_ascii_uppercase();
                let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
                if i > 0 && (prev_lower || next_lower) {
                    out.push('-');
                }
                out.push(c.to_ascii_lowercase());
            } else {
                out.push(c);
            }
        }
        out
    }

    #[test]
    fn urls_follow_the_names() {
        for r in ALL {
            if let Some(url) = r.url {
                assert_eq!(url, format!("https://docs.docker.com/go/dockerfile/rule/{}/", kebab(r.name)), "{}", r.name);
            }
        }
        assert_eq!(kebab("JSONArgsRecommended"), "json-args-recommended");
    }

    #[test]
    fn names_are_unique() {
        for (i, a) in ALL.iter().enumerate() {
            assert!(ALL[i + 1..].iter().all(|b| b.name != a.name), "{}", a.name);
        }
    }
}
