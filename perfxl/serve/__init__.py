"""`perfxl serve`: the engine behind a small local HTTP API (Starlette + uvicorn).

One service for the WPS add-in (/api/check-sheet), the drop-a-workbook page (/ and
/static) and the bureau's inbox (/api/submit). Every answer is the one the command
line gives for the same file: the routes call the same checks and the same JSON
serialisers as `perfxl validate` and `perfxl score`.
"""
