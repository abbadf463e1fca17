# The action server: the official rasa-sdk image plus spaCy and the project's actions and
# bot/ package. No TensorFlow here, so spaCy stays light. Context: the repository root.
FROM rasa/rasa-sdk:3.6.2
USER root
COPY requirements.txt /tmp/requirements.txt
RUN grep -iE '^(spacy|pyspellchecker|pyyaml)==' /tmp/requirements.txt > /tmp/extra.txt \
 && pip install --no-cache-dir -r /tmp/extra.txt && rm /tmp/requirements.txt /tmp/extra.txt
COPY --chown=1001:0 . /app
ENV PYTHONPATH=/app
USER 1001
# The image's default command: start --actions actions
