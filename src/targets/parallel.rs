//! The parallel editions `[outputs] parallel` asks for: two editions of a
//! statement side by side (`NAME.FIRST-SECOND.pdf`, beside the first
//! edition's outputs; see `render::pairs`).

use std::path::PathBuf;

use crate::project::context::Context;
use crate::render::pairs;
use crate::targets::{Failed, Files, Inputs, Made, Output, Parts, Read, Role, Target};

struct Parallel<'a> {
    inputs: &'a Inputs<'a>,
    first: &'a Read,
    second: &'a Read,
    path: PathBuf,
}

/// Those `[outputs] parallel` asks for, among the editions the run read.
pub(crate) fn targets<'a>(inputs: &'a Inputs<'a>) -> Vec<Box<dyn Target + 'a>> {
    let wanted = &inputs.ctx.config.outputs.parallel;
    if !inputs.project_run || wanted.is_empty() {
        return Vec::new();
    }
    let read: Vec<_> = inputs
        .statements
        .iter()
        .filter_map(|(r, _)| r.ok())
        .collect();
    let language = inputs
        .ctx
        .config
        .project
        .language
        .as_ref()
        .map(|l| l.0.as_str());
    let (groups, _) = crate::project::translations::groups(&read, language);
    let find = |path: &PathBuf| inputs.statements.iter().find(|(r, _)| r.source == *path);
    pairs::planned(&groups, wanted)
        .into_iter()
        .filter_map(|planned| {
            let (first, dest) = find(&planned.first)?;
            let (second, _) = find(&planned.second)?;
            Some(Box::new(Parallel {
                inputs,
                first,
                second,
                path: dest.path("pdf", true).with_file_name(&planned.file),
            }) as Box<dyn Target + 'a>)
        })
        .collect()
}

impl Target for Parallel<'_> {
    fn id(&self) -> String {
        self.inputs.ctx.rel(&self.path)
    }

    fn role(&self) -> Role {
        Role::Extra
    }

    fn parts(&self) -> Parts {
        let mut parts = crate::targets::common(self.inputs, &["anthology", "outputs.parallel"]);
        for (which, read) in [("first", self.first), ("second", self.second)] {
            parts.insert(
                format!("the {which} edition"),
                self.inputs.ctx.rel(&read.source),
            );
            parts.insert(
                format!("what the {which} edition shows of the others"),
                crate::model::digest(&[read.shows.as_bytes()]),
            );
        }
        parts
    }

    fn read_before(&self) -> Files {
        let mut files = self.first.files.clone();
        files.extend(self.second.files.clone());
        files
    }

    fn make(&self, ctx: &Context) -> Result<Made, Failed> {
        let (Some(first), Some(second)) = (self.first.ok(), self.second.ok()) else {
            return Err(Failed::Said(format!(
                "error: {} is not made: an edition failed",
                self.id()
            )));
        };
        let made = pairs::make(first, second, ctx)?;
        typst::comemo::evict(4);
        Ok(Made {
            outputs: vec![Output {
                path: self.path.clone(),
                bytes: made.pdf,
                detail: String::new(),
                kind: "parallel",
            }],
            report: made.report,
            pages: made.pages,
            fitted: false,
        })
    }

    fn shown(&self) -> String {
        self.path.display().to_string()
    }

    fn built(&self, files: &[String], pages: usize) -> String {
        format!(
            "built {} and {} side by side → {} ({pages} page{})\n",
            self.first.source.display(),
            self.second.source.display(),
            files.join(", "),
            if pages == 1 { "" } else { "s" }
        )
    }
}
