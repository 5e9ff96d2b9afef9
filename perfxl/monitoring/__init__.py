"""Mid-year monitoring (双监控) of project spending against 序时进度.

lights.py holds every figure and light; model.py the shapes the reader fills and the
engine returns; the engine and the reader build on them.
"""
