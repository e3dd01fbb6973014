"""What the API shows and accepts. Output serializers are read-only views of records the
selectors return; input serializers only check shapes, the services check the rules."""
