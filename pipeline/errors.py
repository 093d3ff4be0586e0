"""Errors the user can act on, and the exit statuses; the CLI turns each error into one line on stderr.

An error carries what it concerns as attributes, never only inside its text: `input` (the input it is about, as
the user named it) and `option` (the setting it is about, by its library name, e.g. `device`). Library code does not
name command-line flags; the CLI renders `option` as its flag (`device` → `--device`).
"""

from __future__ import annotations

from enum import IntEnum


class ExitStatus(IntEnum):
    """The process exit statuses of every command (README, Exit codes): the one place they are defined."""

    OK = 0
    FAILED = 1  # some inputs failed, or a check failed (doctor)
    USAGE = 2  # the command line asks for something impossible
    INTERRUPTED = 130  # Ctrl-C (128 + SIGINT)
    TERMINATED = 143  # SIGTERM (128 + SIGTERM)


class PipelineError(Exception):
    """Base class: the message says what went wrong and how to fix it."""

    exit_status = ExitStatus.FAILED

    def __init__(self, message: str, *, input: str | None = None, option: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.input = input
        self.option = option

    @property
    def exit_code(self) -> int:
        return int(self.exit_status)


class InputError(PipelineError):
    """An input file cannot be read or holds nothing to process."""


class NoChineseError(InputError):
    """The input decodes but contains no Chinese text."""


class OutputError(PipelineError):
    """An output folder or file cannot be written."""


class OutputBusyError(OutputError):
    """Another run is writing into the same output folder."""


class ModelNotFoundError(PipelineError):
    """No local copy of the requested model exists."""


class ModelDownloadError(PipelineError):
    """Downloading a model from the Hugging Face Hub failed."""


class ModelLoadError(PipelineError):
    """A model directory exists but cannot be loaded."""


class UsageError(PipelineError):
    """The command line asks for something impossible."""

    exit_status = ExitStatus.USAGE


class EngineError(PipelineError):
    """The Ray engine cannot run: Ray is not installed, the cluster cannot be reached, or the run failed there."""


class RayMissingError(EngineError):
    """`--engine ray` was asked for but the optional Ray extra is not installed."""
