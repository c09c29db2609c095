"""Does fine-tuning the whole MiniLM beat the shipped classifier on real text? Kappa and time.

Usage:
    .venv/bin/python benchmarks/ablate_finetune.py [--epochs 3]

The bundled all-MiniLM-L6-v2 is fine-tuned end to end with one linear layer on its mean-pooled
output (multi-label, binary cross-entropy; AdamW, learning rate 4e-5 for the encoder and 2e-3
for the layer, warm-up over a tenth of the steps then linear decay; batches of 32, texts cut at
96 tokens; seed 0). It trains on the same data as the "written + real" row of
``ablate_training.py`` (the written-to-order sets and the real train split) and is scored, at a
0.5 cut-off, on the real dev split and on the written-to-order ``final2_statements.csv``.
Training time is wall time on this machine (2 torch threads). Nothing is downloaded.
"""

from __future__ import annotations

import argparse
import time

from ablate_training import REAL, ROOT, SCORED, written


def load(files: list[str], theme_ids: list[str]):
    import numpy as np
    import pandas as pd

    texts, rows = [], []
    for name in files:
        table = pd.read_csv(ROOT / name, dtype=str, keep_default_na=False)
        for text, themes in zip(table["text"], table["themes"], strict=True):
            found = {t.strip() for t in themes.split(";") if t.strip()}
            texts.append(text)
            rows.append([t in found for t in theme_ids])
    return texts, np.array(rows, dtype=np.float32)


def main() -> None:
    import numpy as np
    import torch
    from sklearn.metrics import cohen_kappa_score

    from coprod_analysis.codebooks import load_codebook
    from coprod_analysis.embeddings import load_model

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=3)
    args = parser.parse_args()
    torch.set_num_threads(2)
    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    theme_ids = load_codebook(ROOT / "config" / "codebook.yml").ids
    shown = [t for t in theme_ids if t != "ladder"]  # too rare on dev to score
    texts, y = load(written() + REAL, theme_ids)
    model = load_model()
    encoder, tokenizer = model[0].auto_model, model.tokenizer
    head = torch.nn.Linear(encoder.config.hidden_size, len(theme_ids))

    def pooled(batch: list[str]):
        tokens = tokenizer(batch, padding=True, truncation=True, max_length=96, return_tensors="pt")
        mask = tokens["attention_mask"].unsqueeze(-1).float()
        return (encoder(**tokens).last_hidden_state * mask).sum(1) / mask.sum(1)

    groups = [
        {"params": encoder.parameters(), "lr": 4e-5},
        {"params": head.parameters(), "lr": 2e-3},
    ]
    optimiser = torch.optim.AdamW(groups, weight_decay=0.01)
    size = 32
    steps = args.epochs * -(-len(texts) // size)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min(1.0, (s + 1) / (0.1 * steps)) * max(0.0, 1 - s / steps)
    )
    loss = torch.nn.BCEWithLogitsLoss()
    start = time.perf_counter()
    encoder.train()
    for epoch in range(args.epochs):
        order = rng.permutation(len(texts))
        for i in range(0, len(texts), size):
            chosen = order[i : i + size]
            value = loss(head(pooled([texts[j] for j in chosen])), torch.tensor(y[chosen]))
            optimiser.zero_grad()
            value.backward()
            optimiser.step()
            schedule.step()
        print(f"epoch {epoch + 1}: {time.perf_counter() - start:.0f} s", flush=True)
    seconds = time.perf_counter() - start
    encoder.eval()
    print(f"{'scored on':<9} {'train':>6} " + " ".join(f"{t[:7]:>7}" for t in shown))
    for name, path in SCORED.items():
        scored, truth = load([path], theme_ids)
        with torch.no_grad():
            probs = np.vstack(
                [
                    torch.sigmoid(head(pooled(scored[i : i + 64]))).numpy()
                    for i in range(0, len(scored), 64)
                ]
            )
        columns = [theme_ids.index(t) for t in shown]
        kappas = [cohen_kappa_score(truth[:, j], probs[:, j] >= 0.5) for j in columns]
        print(f"{name:<9} {seconds:>5.0f}s " + " ".join(f"{k:7.3f}" for k in kappas))


if __name__ == "__main__":
    main()
