#!/usr/bin/env bash
# Record the project's editorial review of the shipped content, after content edits:
# every module (each language, both regions) and recipe title in review/shared.jsonl,
# each sample clinic's own text in review/clinics/<id>.jsonl, and the same for the
# starter project `acuprint init` copies (src/acuprint/data/project). Units already
# approved keep their record (and its date); records of words no longer printed are
# dropped. Review the diff of review/ before committing it.
#
# These records are labelled for what they are: an editorial review by the
# acuprint project, not a clinical sign-off. A clinic signs off its own text.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
acuprint=${ACUPRINT:-.venv/bin/acuprint}
who=(--name "acuprint editorial review" --role "content editor (not a clinical sign-off)")
note="Shipped content: read against the module's cited sources and the claims check; \
a clinic's responsible clinician signs off what their clinic prints."

approve_project() {
  local project=$1
  "$acuprint" approve --project "$project" --shared --all-pending --prune "${who[@]}" --note "$note"
  for folder in "$project"/clinics/*/; do
    "$acuprint" approve --project "$project" --clinic "$(basename "$folder")" --all-pending --prune \
      "${who[@]}" --note "$note"
  done
}

approve_project .
scripts/sync-project-template.sh  # copies review/shared.jsonl into the starter project
approve_project src/acuprint/data/project
