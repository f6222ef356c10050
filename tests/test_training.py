"""Training helpers that need no UD data: seeding from installed models, tag noise."""
from __future__ import annotations

import torch

from quotecraft.train.stanza import _seed_from, noisy_tags


def test_noisy_tags_replaces_only_real_tags_at_about_the_rate():
    torch.manual_seed(0)
    tags = torch.randint(2, 20, (50, 40))
    tags[:, -5:] = 0  # padding
    tags[:, 0] = 1  # unknown
    out = noisy_tags(tags, 20, 0.3)
    changed = out != tags
    assert not changed[:, -5:].any() and not changed[:, 0].any()
    share = changed[:, 1:-5].float().mean().item()
    assert 0.2 < share < 0.32  # a replacement may draw the same tag again
    assert int(out.min()) >= 0 and int(out.max()) < 20
    assert torch.equal(noisy_tags(tags, 20, 0.0), tags)


def test_seed_from_installed_model_widens_weights_and_resets_history(tmp_path):
    installed = tmp_path / "installed.pt"
    torch.save({"model": {"w": torch.ones(2, 2, dtype=torch.float16), "ids": torch.arange(3)},
                "global_step": 900, "dev_score_history": [0.8], "config": {"a": 1}}, installed)
    dest = tmp_path / "work" / "depparse_checkpoint.pt"
    assert _seed_from(installed, dest, reset_history=True)
    ckpt = torch.load(dest, weights_only=False)
    assert ckpt["model"]["w"].dtype == torch.float32 and ckpt["model"]["ids"].dtype == torch.int64
    assert ckpt["global_step"] == 0 and ckpt["dev_score_history"] == [] and ckpt["config"] == {"a": 1}
    # an existing work file is never overwritten: a later sitting resumes it instead
    assert not _seed_from(installed, dest, reset_history=True)
    assert not _seed_from(tmp_path / "missing.pt", tmp_path / "other.pt", reset_history=False)
