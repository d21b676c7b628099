"""Answers to the shape-arithmetic quiz of assignment 01.

Set STUDENT_ID to your student number (or login): your questions are generated from it, so
they differ from your classmates'. Run the quiz cells of the notebook to see them, then put
each answer under its id: an int, True/False, or for volumes a tuple (height, width, depth).
"""

STUDENT_ID = ""
ANSWERS = {"q1": None, "q2": None, "q3": None, "q4": None, "q5": None, "q6": None, "q7": None, "q8": None, "q9": None, "q10": None}

### BEGIN SOLUTION
# The reference answers, for the questions of the STUDENT_ID "reference".
STUDENT_ID = "reference"
ANSWERS = {
    "q1": (29, 29, 6),  # conv output volume
    "q2": False,  # does it fit
    "q3": 5,  # same padding
    "q4": 2912,  # conv parameters
    "q5": 86100,  # dense parameters
    "q6": 26,  # pooling output
    "q7": 11,  # receptive field
    "q8": 3000100,  # dense vs conv
    "q9": 1674,  # dense vs conv
    "q10": 11,  # AlexNet chain
}
### END SOLUTION
