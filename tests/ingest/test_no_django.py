"""The import engine is plain Python: importing a document never loads Django."""

from __future__ import annotations

import subprocess
import sys

CODE = """
import sys
from pathlib import Path
from masa.spec import load_spec
from masa.ingest import import_document
p = Path(sys.argv[1]) / "t.txt"
p.write_text("Appendix B\\n\\nELFT - achievements and impact\\n\\nText.\\n", encoding="utf-8")
import_document(p, load_spec(sys.argv[2]), "2024-25")
loaded = sorted(m for m in sys.modules if m == "django" or m.startswith("django."))
print("DJANGO:", loaded)
"""


def test_import_engine_never_loads_django(tmp_path, example_dir):
    out = subprocess.run([sys.executable, "-c", CODE, str(tmp_path), str(example_dir / "spec")],
                         capture_output=True, text=True, check=False, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "DJANGO: []" in out.stdout
