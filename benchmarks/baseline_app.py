"""The bare Streamlit page every dashboard figure is compared with: one selectbox, one chart.

Why it exists: on a shared 2-core machine absolute milliseconds say more about the machine than
about the app, and part of every figure is Streamlit's own cost (websocket round trip, React
rendering, plotly drawing). Timing this page in the same run, with the same browser and the
same "done" rule, gives that floor; the dashboard is reported as a multiple of it.

It mirrors the dashboard's interaction: a "State/UT" selectbox in the sidebar whose change
reruns the script and redraws a plotly chart. No data loading, no caching, nothing else.
"""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

STATES = (
    "Andaman and Nicobar Islands",
    "Andhra Pradesh",
    "Arunachal Pradesh",
    "Assam",
    "Bihar",
    "Chandigarh",
    "Chhattisgarh",
    "Dadra and Nagar Haveli and Daman and Diu",
    "Delhi",
    "Goa",
    "Gujarat",
    "Haryana",
    "Himachal Pradesh",
    "Jammu and Kashmir",
    "Jharkhand",
    "Karnataka",
    "Kerala",
    "Ladakh",
    "Lakshadweep",
    "Madhya Pradesh",
    "Maharashtra",
    "Manipur",
    "Meghalaya",
    "Mizoram",
    "Nagaland",
    "Odisha",
    "Puducherry",
    "Punjab",
    "Rajasthan",
    "Sikkim",
    "Tamil Nadu",
    "Telangana",
    "Tripura",
    "Uttar Pradesh",
    "Uttarakhand",
    "West Bengal",
)

st.set_page_config(page_title="Baseline", layout="wide")
choice = st.sidebar.selectbox("State/UT", ("All states/UTs", *STATES))
st.title(f"Baseline: {choice}")
seed = sum(map(ord, choice))
months = list(range(1, 25))
values = [(seed * (m + 7)) % 97 + m for m in months]
fig = go.Figure(go.Scatter(x=months, y=values, mode="lines+markers", name=choice))
fig.update_layout(title=f"A small series for {choice}", height=380)
st.plotly_chart(fig, key="baseline_chart")
