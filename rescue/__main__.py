from rescue.cli import app

app(prog_name="rescue")
