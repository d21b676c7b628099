"""Answers to the shape-arithmetic quiz of assignment 01.

Set STUDENT_ID to your student number (or login): your questions are generated from it, so
they differ from your classmates'. Run the quiz cells of the notebook to see them, then put
each answer under its id: an int, True/False, or for volumes a tuple (height, width, depth).
"""

STUDENT_ID = ""
ANSWERS = {"q1": None, "q2": None, "q3": None, "q4": None, "q5": None, "q6": None, "q7": None, "q8": None, "q9": None, "q10": None}

# 01_convolution: your code here
