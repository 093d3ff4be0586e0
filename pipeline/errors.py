"""Errors the user can act on; the CLI turns each into one line on stderr."""

from __future__ import annotations


class PipelineError(Exception):
    """Base class: the message says what went wrong and how to fix it."""

    exit_code = 1


class InputError(PipelineError):
    """An input file cannot be read or holds nothing to process."""


class NoChineseError(InputError):
    """The input decodes but contains no Chinese text."""


class OutputError(PipelineError):
    """An output folder or file cannot be written."""


class ModelNotFoundError(PipelineError):
    """No local copy of the requested model exists."""


class ModelDownloadError(PipelineError):
    """Downloading a model from the Hugging Face Hub failed."""


class ModelLoadError(PipelineError):
    """A model directory exists but cannot be loaded."""


class UsageError(PipelineError):
    """The command line asks for something impossible."""

    exit_code = 2


class EngineError(PipelineError):
    """The Ray engine cannot run: Ray is not installed, the cluster cannot be reached, or the run failed there."""


class RayMissingError(EngineError):
    """`--engine ray` was asked for but the optional Ray extra is not installed."""
